package dev.kaskade.workers.backend.bridge;

import dev.kaskade.schemas.runtime.RuntimeBridgeRules;
import dev.kaskade.workers.backend.ModelLoadException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The model server a runtime bridge calls, and how.
 *
 * @param base {@code http://host:port} (or {@code grpc://host:port})
 * @param protocol the wire protocol, from the URL scheme and the predictor's {@code
 *     protocolVersion}
 * @param model the model name sent upstream
 * @param healthInterval how often readiness is polled
 * @param loadTimeout how long loading waits for the model server to become ready
 * @param callTimeout the longest a call may take when the request has no earlier deadline
 */
public record Upstream(
    URI base,
    Protocol protocol,
    String model,
    Duration healthInterval,
    Duration loadTimeout,
    Duration callTimeout) {

  /** Predictor parameter from the annotation {@code kaskade.dev/upstream-url}. */
  public static final String URL = RuntimeBridgeRules.UPSTREAM_URL;

  /** Predictor parameter from {@code kaskade.dev/upstream-model}; default the isvc name. */
  public static final String MODEL = "upstream-model";

  /** Predictor parameter from {@code kaskade.dev/upstream-health-interval-ms} (default 1000). */
  public static final String HEALTH_INTERVAL_MS = "upstream-health-interval-ms";

  /** Predictor parameter from {@code kaskade.dev/upstream-load-timeout-ms} (default 600000). */
  public static final String LOAD_TIMEOUT_MS = "upstream-load-timeout-ms";

  /** Predictor parameter from {@code kaskade.dev/upstream-timeout-ms} (default 60000). */
  public static final String CALL_TIMEOUT_MS = "upstream-timeout-ms";

  /** KServe V1 REST, Open Inference Protocol REST, Open Inference Protocol gRPC. */
  public enum Protocol {
    V1,
    V2,
    GRPC_V2
  }

  /**
   * The upstream of a predictor, if it has one: the {@code upstream-url} parameter, else {@code
   * defaultUrl} (a cluster sidecar's {@code worker.upstream.url}); empty when neither is set.
   *
   * @throws ModelLoadException when the URL is not {@code http(s)://} or {@code grpc://}
   */
  public static Optional<Upstream> of(
      String isvc, Map<String, String> parameters, String protocolVersion, String defaultUrl)
      throws ModelLoadException {
    String url = parameters.getOrDefault(URL, defaultUrl);
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    URI base = URI.create(url.trim().replaceAll("/+$", ""));
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("grpc")) {
      throw new ModelLoadException(
          "upstream URL " + url + " must start with http://, https:// or grpc://");
    }
    return Optional.of(
        new Upstream(
            base,
            protocol(scheme, protocolVersion),
            parameters.getOrDefault(MODEL, isvc),
            millis(parameters, HEALTH_INTERVAL_MS, 1000),
            millis(parameters, LOAD_TIMEOUT_MS, 600_000),
            millis(parameters, CALL_TIMEOUT_MS, 60_000)));
  }

  /** grpc:// speaks OIP gRPC; over HTTP, protocolVersion v2/grpc-v2 means OIP REST, else V1. */
  static Protocol protocol(String scheme, String protocolVersion) {
    if (scheme.equals("grpc")) {
      return Protocol.GRPC_V2;
    }
    return RuntimeBridgeRules.openInferenceProtocol(protocolVersion) ? Protocol.V2 : Protocol.V1;
  }

  private static Duration millis(Map<String, String> parameters, String key, long defaultMs)
      throws ModelLoadException {
    String value = parameters.get(key);
    if (value == null || value.isBlank()) {
      return Duration.ofMillis(defaultMs);
    }
    try {
      return Duration.ofMillis(Math.max(1, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      throw new ModelLoadException("parameter " + key + " must be milliseconds, got " + value, e);
    }
  }

  /**
   * The readiness check: {@code /v1/models/<model>}, {@code /v2/health/ready}, gRPC ServerReady.
   */
  public String readyPath() {
    return switch (protocol) {
      case V1 -> RuntimeBridgeRules.readyPath(false, model);
      case V2 -> RuntimeBridgeRules.readyPath(true, model);
      case GRPC_V2 -> "inference.GRPCInferenceService/ServerReady";
    };
  }

  /** Path of an inference call. */
  public String inferPath() {
    return protocol == Protocol.V1
        ? "/v1/models/" + model + ":predict"
        : "/v2/models/" + model + "/infer";
  }

  /** Path of the OIP model metadata (V2 only). */
  public String metadataPath() {
    return "/v2/models/" + model;
  }

  @Override
  public String toString() {
    return base + " (" + protocol + ", model " + model + ")";
  }
}
