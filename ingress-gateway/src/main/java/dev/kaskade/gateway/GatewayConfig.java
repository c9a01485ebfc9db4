package dev.kaskade.gateway;

import dev.kaskade.schemas.route.ResourceHost;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.schemas.topic.TopicSettings;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's typed settings, read once from {@link KaskadeContext#settings()}. Every key, its
 * default and its meaning are listed in {@link #KEYS} (the one place for them: {@link #from} reads
 * its defaults from there); docs/protocols.md is written from them.
 *
 * @param host interface to bind
 * @param httpPort REST (and gRPC) port; 0 picks a free port
 * @param grpcPort gRPC-only port; 0 picks a free port, -1 disables the second listener
 * @param maxBodyBytes largest REST body (binary tensor data extension included)
 * @param maxGrpcMessageBytes largest gRPC message
 * @param maxInflight calls waiting for a reply before new ones get 429 / RESOURCE_EXHAUSTED
 * @param defaultTimeoutMs deadline when neither caller nor InferenceService sets one
 * @param namespace namespace of the models addressed by name
 * @param instanceId this gateway instance; names its reply topic
 * @param kafkaMaxBlockMs how long a send may wait for topic metadata before it fails with 503
 * @param limits the per-request limits
 * @param connections connection settings of the listeners
 * @param domain domain of the status URLs ({@code http://<name>.<namespace>.<domain>}), shared with
 *     the control plane, so that a request whose Host is such a URL reaches that resource
 * @param openAiHeartbeatMs {@value #OPENAI_HEARTBEAT_MS}: SSE comment every this many ms on an idle
 *     OpenAI stream
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
    RequestLimits limits,
    Connections connections,
    String domain,
    long openAiHeartbeatMs) {

  public static final String HOST = "gateway.host";
  public static final String HTTP_PORT = "gateway.http.port";
  public static final String GRPC_PORT = "gateway.grpc.port";
  public static final String MAX_BODY_BYTES = "gateway.max.body.bytes";
  public static final String MAX_JSON_BODY_BYTES = "gateway.max.json.body.bytes";
  public static final String MAX_GRPC_MESSAGE_BYTES = "gateway.max.grpc.message.bytes";
  public static final String MAX_INFLIGHT = "gateway.max.inflight";
  public static final String DEFAULT_TIMEOUT_MS = "gateway.default.timeout.ms";
  public static final String NAMESPACE = "gateway.namespace";
  public static final String INSTANCE_ID = "gateway.instance.id";
  public static final String KAFKA_MAX_BLOCK_MS = "gateway.kafka.max.block.ms";
  public static final String MAX_TENSOR_RANK = "gateway.max.tensor.rank";
  public static final String MAX_REQUEST_ID_LENGTH = "gateway.max.request.id.length";
  public static final String MAX_RECORD_BYTES = "gateway.max.record.bytes";
  public static final String IDLE_TIMEOUT_MS = "gateway.idle.timeout.ms";
  public static final String HTTP2_MAX_STREAMS = "gateway.http2.max.concurrent.streams";
  public static final String AUTH_JWKS = "gateway.auth.jwks";
  public static final String AUTH_ISSUER = "gateway.auth.issuer";
  public static final String AUTH_AUDIENCE = "gateway.auth.audience";
  public static final String AUTH_POLICY = "gateway.auth.policy";
  public static final String AUTH_METRICS = "gateway.auth.metrics";
  public static final String AUTH_CLOCK_SKEW_SECONDS = "gateway.auth.clock.skew.seconds";
  public static final String AUTH_JWKS_REFRESH_MS = "gateway.auth.jwks.refresh.ms";
  public static final String AUTH_JWKS_MIN_REFRESH_MS = "gateway.auth.jwks.min.refresh.ms";
  public static final String TLS_CERT = "gateway.tls.cert";
  public static final String TLS_KEY = "gateway.tls.key";
  public static final String TLS_CLIENT_CA = "gateway.tls.client.ca";
  public static final String TLS_RELOAD_MS = "gateway.tls.reload.ms";
  public static final String OPENAI_HEARTBEAT_MS = "gateway.openai.heartbeat.ms";
  public static final String CONSOLE_ENABLED = "gateway.console.enabled";
  public static final String CONSOLE_MONITOR = "gateway.console.monitor";
  public static final String CONSOLE_REPLAY_DIR = "gateway.console.replay.dir";

  /**
   * Room kept under the topics' {@code max.message.bytes} for the record's key, headers and batch
   * framing, so a request the gateway accepts is never refused by the producer.
   */
  public static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

  /** The control plane's setting (status.url), read here too so both agree on hosts. */
  public static final String DOMAIN = ResourceHost.DOMAIN_SETTING;

  /** Key definitions: key, default, doc. */
  public static final List<Key> KEYS =
      List.of(
          new Key(HOST, "0.0.0.0", "Interface the HTTP and gRPC listeners bind to."),
          new Key(HTTP_PORT, "8080", "REST port (V1, V2, health, metrics); also accepts gRPC."),
          new Key(GRPC_PORT, "8081", "gRPC-only port; -1 disables it."),
          new Key(MAX_BODY_BYTES, "16777216", "Largest REST body, binary data included (413)."),
          new Key(
              MAX_JSON_BODY_BYTES,
              "4194304",
              "Largest JSON part of a REST body (V1 body, V2 JSON or binary header) (413)."),
          new Key(MAX_GRPC_MESSAGE_BYTES, "8388608", "Largest gRPC message, like KServe."),
          new Key(MAX_INFLIGHT, "10000", "Calls awaiting a reply before 429/RESOURCE_EXHAUSTED."),
          new Key(
              DEFAULT_TIMEOUT_MS,
              "60000",
              "Deadline when neither caller nor isvc sets one; caps the caller's deadline then."),
          new Key(NAMESPACE, "default", "Namespace of models addressed by name."),
          new Key(INSTANCE_ID, "<random>", "This instance's id; names its reply topic."),
          new Key(
              KAFKA_MAX_BLOCK_MS, "10000", "Wait for topic metadata before a send fails (503)."),
          new Key(
              MAX_TENSOR_RANK,
              Integer.toString(Tensors.DEFAULT_MAX_RANK),
              "Most dimensions an input tensor may have (400)."),
          new Key(
              MAX_REQUEST_ID_LENGTH,
              "256",
              "Longest request id; ids are also limited to [A-Za-z0-9._:-] (400)."),
          new Key(
              MAX_RECORD_BYTES,
              Integer.toString(TopicSettings.DEFAULT_MAX_MESSAGE_BYTES - RECORD_OVERHEAD_BYTES),
              "Largest encoded request event; at most the topics' max.message.bytes - 64 KiB (413)."),
          new Key(IDLE_TIMEOUT_MS, "300000", "Closes a connection idle this long; 0 = never."),
          new Key(HTTP2_MAX_STREAMS, "128", "Concurrent HTTP/2 (and gRPC) streams per connection."),
          new Key(
              OPENAI_HEARTBEAT_MS,
              "15000",
              "An OpenAI stream with no event for this long gets an SSE comment (': ping')."),
          new Key(
              DOMAIN,
              ResourceHost.DEFAULT_DOMAIN,
              "Host <name>.<namespace>.<domain> addresses a resource."),
          new Key(
              AUTH_JWKS,
              "",
              "JWKS file or http(s) URL; set, every call but health needs a bearer JWT (401)."),
          new Key(AUTH_ISSUER, "", "Required JWT iss (needed with " + AUTH_JWKS + ")."),
          new Key(
              AUTH_AUDIENCE,
              "",
              "Accepted JWT aud values, comma-separated (needed with " + AUTH_JWKS + ")."),
          new Key(
              AUTH_POLICY, "", "YAML authorization rules; unset, any valid token may call all."),
          new Key(AUTH_METRICS, "false", "true: /metrics needs a valid token too."),
          new Key(AUTH_CLOCK_SKEW_SECONDS, "60", "Clock skew allowed on JWT exp and nbf."),
          new Key(AUTH_JWKS_REFRESH_MS, "300000", "A JWKS URL is fetched again this often."),
          new Key(
              AUTH_JWKS_MIN_REFRESH_MS,
              "30000",
              "Least time between JWKS reloads caused by an unknown kid."),
          new Key(TLS_CERT, "", "PEM certificate chain; with " + TLS_KEY + " serves TLS."),
          new Key(TLS_KEY, "", "PEM private key (PKCS#8 or PKCS#1) of " + TLS_CERT + "."),
          new Key(TLS_CLIENT_CA, "", "PEM CA bundle; set, clients need a certificate (mTLS)."),
          new Key(TLS_RELOAD_MS, "10000", "How often the TLS files are checked for changes."),
          new Key(
              CONSOLE_ENABLED, "true", "false: no web console (/ui) and no console API (/api)."),
          new Key(
              CONSOLE_MONITOR,
              "true",
              "true: the gateway follows the monitor topics for the console's drift page."),
          new Key(
              CONSOLE_REPLAY_DIR,
              "<data-dir>/replays",
              "Folder whose replay reports (*.json) the console's audit page shows."));

  /** One setting: key, default, documentation. */
  public record Key(String name, String defaultValue, String doc) {}

  /**
   * What one request may carry. Exceeding one answers 400 or 413 (gRPC INVALID_ARGUMENT or
   * RESOURCE_EXHAUSTED) naming the setting.
   *
   * @param maxJsonBodyBytes largest JSON part of a REST body
   * @param maxTensorRank most dimensions of an input tensor
   * @param maxRequestIdLength longest request id
   * @param maxRecordBytes largest encoded request event
   */
  public record RequestLimits(
      int maxJsonBodyBytes, int maxTensorRank, int maxRequestIdLength, int maxRecordBytes) {
    public RequestLimits {
      requirePositive(MAX_JSON_BODY_BYTES, maxJsonBodyBytes);
      requirePositive(MAX_TENSOR_RANK, maxTensorRank);
      requirePositive(MAX_REQUEST_ID_LENGTH, maxRequestIdLength);
      requirePositive(MAX_RECORD_BYTES, maxRecordBytes);
    }
  }

  /**
   * Listener settings.
   *
   * @param idleTimeoutMs a connection with no traffic this long is closed; 0 = never
   * @param http2MaxConcurrentStreams streams one HTTP/2 connection may have open
   */
  public record Connections(int idleTimeoutMs, int http2MaxConcurrentStreams) {
    public Connections {
      if (idleTimeoutMs < 0) {
        throw new IllegalArgumentException(
            "setting " + IDLE_TIMEOUT_MS + " must be >= 0, got " + idleTimeoutMs);
      }
      requirePositive(HTTP2_MAX_STREAMS, http2MaxConcurrentStreams);
    }
  }

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
    // The record limit can never exceed what the topics and the producer accept.
    int recordCeiling = ctx.topicSettings().maxMessageBytes() - RECORD_OVERHEAD_BYTES;
    return new GatewayConfig(
        s.getOrDefault(HOST, defaultOf(HOST)),
        intOf(ctx, HTTP_PORT),
        intOf(ctx, GRPC_PORT),
        intOf(ctx, MAX_BODY_BYTES),
        intOf(ctx, MAX_GRPC_MESSAGE_BYTES),
        intOf(ctx, MAX_INFLIGHT),
        intOf(ctx, DEFAULT_TIMEOUT_MS),
        s.getOrDefault(NAMESPACE, defaultOf(NAMESPACE)),
        s.getOrDefault(INSTANCE_ID, "gw-" + UUID.randomUUID().toString().substring(0, 8)),
        intOf(ctx, KAFKA_MAX_BLOCK_MS),
        new RequestLimits(
            intOf(ctx, MAX_JSON_BODY_BYTES),
            intOf(ctx, MAX_TENSOR_RANK),
            intOf(ctx, MAX_REQUEST_ID_LENGTH),
            Math.min(intOf(ctx, MAX_RECORD_BYTES), recordCeiling)),
        new Connections(intOf(ctx, IDLE_TIMEOUT_MS), intOf(ctx, HTTP2_MAX_STREAMS)),
        s.getOrDefault(DOMAIN, defaultOf(DOMAIN)),
        Math.max(100, intOf(ctx, OPENAI_HEARTBEAT_MS)));
  }

  /** The default of a key, from {@link #KEYS}. */
  public static String defaultOf(String key) {
    return KEYS.stream()
        .filter(k -> k.name().equals(key))
        .findFirst()
        .map(Key::defaultValue)
        .orElseThrow(() -> new IllegalArgumentException("no gateway setting " + key));
  }

  private static int intOf(KaskadeContext ctx, String key) {
    return ctx.intSetting(key, Integer.parseInt(defaultOf(key)));
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
