package dev.kaskade.gateway.route;

/**
 * Where one request goes: the entry topic, the revision that will serve it (empty when a
 * transformer or graph decides), and the metadata to validate the inputs against.
 *
 * @param namespace namespace of the model
 * @param model name the caller used
 * @param topic entry topic
 * @param revision predictor revision chosen, or "" when not decided by the gateway
 * @param metadata model metadata of that revision; {@link ModelMetadata#empty} when unknown
 * @param timeoutMs per-model deadline (predictor timeout_seconds), or 0 when unset
 * @param jsonPassThrough true when a transformer or graph consumes the request, so V1 bodies stay
 *     JSON and inputs are not validated against the predictor's metadata
 */
public record Route(
    String namespace,
    String model,
    String topic,
    String revision,
    ModelMetadata metadata,
    long timeoutMs,
    boolean jsonPassThrough) {}
