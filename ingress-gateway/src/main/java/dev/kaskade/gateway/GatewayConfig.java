package dev.kaskade.gateway;

import dev.kaskade.schemas.runtime.KaskadeContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's typed settings, read once from {@link KaskadeContext#settings()}. Every key, its
 * default and its meaning are listed in {@link #KEYS}; docs/protocols.md is written from them.
 *
 * @param host interface to bind
 * @param httpPort REST (and gRPC) port; 0 picks a free port
 * @param grpcPort gRPC-only port; 0 picks a free port, -1 disables the second listener
 * @param maxBodyBytes largest REST body
 * @param maxGrpcMessageBytes largest gRPC message
 * @param maxInflight calls waiting for a reply before new ones get 429 / RESOURCE_EXHAUSTED
 * @param defaultTimeoutMs deadline when neither caller nor InferenceService sets one
 * @param namespace namespace of the models addressed by name
 * @param instanceId this gateway instance; names its reply topic
 * @param kafkaMaxBlockMs how long a send may wait for topic metadata before it fails with 503
 * @param domain domain of the status URLs ({@code http://<name>.<namespace>.<domain>}), shared with
 *     the control plane, so that a request whose Host is such a URL reaches that resource
 */
public record GatewayConfig(
    String host,
    int httpPort,
    int grpcPort,
    int maxBodyBytes,
    int maxGrpcMessageBytes,
    int maxInflight,
    long defaultTimeoutMs,
    String namespace,
    String instanceId,
    long kafkaMaxBlockMs,
    String domain) {

  public static final String HOST = "gateway.host";
  public static final String HTTP_PORT = "gateway.http.port";
  public static final String GRPC_PORT = "gateway.grpc.port";
  public static final String MAX_BODY_BYTES = "gateway.max.body.bytes";
  public static final String MAX_GRPC_MESSAGE_BYTES = "gateway.max.grpc.message.bytes";
  public static final String MAX_INFLIGHT = "gateway.max.inflight";
  public static final String DEFAULT_TIMEOUT_MS = "gateway.default.timeout.ms";
  public static final String NAMESPACE = "gateway.namespace";
  public static final String INSTANCE_ID = "gateway.instance.id";
  public static final String KAFKA_MAX_BLOCK_MS = "gateway.kafka.max.block.ms";

  /** The control plane's setting (status.url), read here too so both agree on hosts. */
  public static final String DOMAIN = "control.domain";

  /** Key definitions: key, default, doc. */
  public static final List<Key> KEYS =
      List.of(
          new Key(HOST, "0.0.0.0", "Interface the HTTP and gRPC listeners bind to."),
          new Key(HTTP_PORT, "8080", "REST port (V1, V2, health, metrics); also accepts gRPC."),
          new Key(GRPC_PORT, "8081", "gRPC-only port; -1 disables it."),
          new Key(MAX_BODY_BYTES, Integer.toString(16 * 1024 * 1024), "Largest REST body (413)."),
          new Key(MAX_GRPC_MESSAGE_BYTES, "8388608", "Largest gRPC message, like KServe."),
          new Key(MAX_INFLIGHT, "10000", "Calls awaiting a reply before 429/RESOURCE_EXHAUSTED."),
          new Key(DEFAULT_TIMEOUT_MS, "60000", "Deadline when neither caller nor isvc sets one."),
          new Key(NAMESPACE, "default", "Namespace of models addressed by name."),
          new Key(INSTANCE_ID, "<random>", "This instance's id; names its reply topic."),
          new Key(
              KAFKA_MAX_BLOCK_MS, "10000", "Wait for topic metadata before a send fails (503)."),
          new Key(DOMAIN, "example.com", "Host <name>.<namespace>.<domain> addresses a resource."));

  /** One setting: key, default, documentation. */
  public record Key(String name, String defaultValue, String doc) {}

  public GatewayConfig {
    requirePort(HTTP_PORT, httpPort, false);
    requirePort(GRPC_PORT, grpcPort, true);
    requirePositive(MAX_BODY_BYTES, maxBodyBytes);
    requirePositive(MAX_GRPC_MESSAGE_BYTES, maxGrpcMessageBytes);
    requirePositive(MAX_INFLIGHT, maxInflight);
    requirePositive(DEFAULT_TIMEOUT_MS, defaultTimeoutMs);
    requirePositive(KAFKA_MAX_BLOCK_MS, kafkaMaxBlockMs);
  }

  public static GatewayConfig from(KaskadeContext ctx) {
    Map<String, String> s = ctx.settings();
    return new GatewayConfig(
        s.getOrDefault(HOST, "0.0.0.0"),
        ctx.intSetting(HTTP_PORT, 8080),
        ctx.intSetting(GRPC_PORT, 8081),
        ctx.intSetting(MAX_BODY_BYTES, 16 * 1024 * 1024),
        ctx.intSetting(MAX_GRPC_MESSAGE_BYTES, 8_388_608),
        ctx.intSetting(MAX_INFLIGHT, 10_000),
        ctx.intSetting(DEFAULT_TIMEOUT_MS, 60_000),
        s.getOrDefault(NAMESPACE, "default"),
        s.getOrDefault(INSTANCE_ID, "gw-" + UUID.randomUUID().toString().substring(0, 8)),
        ctx.intSetting(KAFKA_MAX_BLOCK_MS, 10_000),
        s.getOrDefault(DOMAIN, "example.com"));
  }

  private static void requirePort(String key, int port, boolean allowDisabled) {
    if (port > 65535 || port < (allowDisabled ? -1 : 0)) {
      throw new IllegalArgumentException("setting " + key + " is not a valid port: " + port);
    }
  }

  private static void requirePositive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("setting " + key + " must be > 0, got " + value);
    }
  }
}
