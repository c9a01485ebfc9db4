package dev.kaskade.gateway;

import dev.kaskade.gateway.auth.Authenticator;
import dev.kaskade.gateway.auth.SecurityConfig;
import dev.kaskade.gateway.auth.TlsFiles;
import dev.kaskade.gateway.bridge.GenerationStreams;
import dev.kaskade.gateway.bridge.InferenceDispatcher;
import dev.kaskade.gateway.bridge.KafkaBridge;
import dev.kaskade.gateway.console.AuditBrowser;
import dev.kaskade.gateway.console.ConsoleApi;
import dev.kaskade.gateway.console.MonitorFeed;
import dev.kaskade.gateway.console.MonitorStore;
import dev.kaskade.gateway.grpc.GrpcApi;
import dev.kaskade.gateway.http.HttpApi;
import dev.kaskade.gateway.metrics.GatewayMetrics;
import dev.kaskade.gateway.route.RoutingTable;
import dev.kaskade.gateway.route.RoutingTableReader;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.topic.TopicSpec;
import dev.kaskade.sink.store.BlobStores;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress gateway: one Vert.x HTTP server carrying KServe V1, Open Inference Protocol REST and
 * gRPC (requests with {@code application/grpc} go to the gRPC handler), a second gRPC-only
 * listener, the routing table read from the control topics, and the Kafka request/reply bridge.
 */
public final class GatewayComponent implements KaskadeComponent {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayComponent.class);

  static {
    // Builders deep-copy nested Avro records; the codecs build them before any serde exists.
    dev.kaskade.schemas.serde.AvroTrust.install();
  }

  private final KaskadeContext ctx;
  private final GatewayConfig config;
  private final SecurityConfig security;
  private final MeterRegistry registry;
  private final boolean sharesGlobalMeters;
  private Vertx vertx;
  private RoutingTableReader reader;
  private KafkaBridge bridge;
  private GenerationStreams streams;
  private HttpServer httpServer;
  private HttpServer grpcServer;
  private TlsFiles tls;
  private MonitorFeed monitorFeed;

  /**
   * The gateway as {@code kaskade up} starts it: its own Prometheus registry, which while the
   * gateway runs is also a member of Micrometer's global composite, so {@code /metrics} shows the
   * meters other components of the same JVM record there (the stream processors' drift and outlier
   * meters).
   */
  public GatewayComponent(KaskadeContext ctx) {
    this(ctx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
  }

  public GatewayComponent(KaskadeContext ctx, MeterRegistry registry) {
    this(ctx, registry, false);
  }

  private GatewayComponent(KaskadeContext ctx, MeterRegistry registry, boolean sharesGlobalMeters) {
    this.ctx = ctx;
    this.config = GatewayConfig.from(ctx);
    this.security = SecurityConfig.from(ctx.settings());
    this.registry = registry;
    this.sharesGlobalMeters = sharesGlobalMeters;
  }

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public void start() throws Exception {
    if (sharesGlobalMeters) {
      Metrics.addRegistry(registry);
    }
    try {
      startAll();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    String replyTopic = ctx.topics().gatewayReplies(config.instanceId());
    ensureTopics();
    vertx = Vertx.vertx();
    // Keys and policy are read first: a bad file stops the start before anything listens.
    Authenticator authenticator = Authenticator.create(vertx, security.auth());
    tls = security.tls() == null ? null : new TlsFiles(security.tls());
    GatewayMetrics metrics = new GatewayMetrics(registry);
    RoutingTable table = new RoutingTable(ctx.topics());
    int maxMessage = ctx.topicSettings().maxMessageBytes();
    reader = new RoutingTableReader(table, ctx.topics(), ctx.kafka(), ctx.registry(), maxMessage);
    reader.start();
    bridge =
        new KafkaBridge(
            vertx,
            ctx.kafka(),
            ctx.registry(),
            maxMessage,
            replyTopic,
            new KafkaBridge.Limits(
                config.maxInflight(), config.kafkaMaxBlockMs(), config.limits().maxRecordBytes()),
            metrics);
    bridge.start();
    streams =
        new GenerationStreams(
            vertx,
            ctx.kafka(),
            ctx.registry(),
            maxMessage,
            ctx.topics().gatewayChunks(config.instanceId()),
            ctx.topics().generationCancel());
    streams.start();
    metrics.inflightGauge(bridge::inflight);
    if (!reader.awaitCaughtUp(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the routing table did not catch up with the control topics");
    }
    var dispatcher =
        new InferenceDispatcher(table, bridge, config.defaultTimeoutMs(), config.limits());
    var services =
        new GatewayServices(
            config, table, dispatcher, metrics, () -> reader.caughtUp() && reader.kafkaReachable());
    GrpcServer grpc = new GrpcApi(services, authenticator).server(vertx);
    Router router = new HttpApi(services, authenticator, streams, console(services)).router(vertx);
    httpServer =
        listen(
            req -> {
              String type = req.getHeader("content-type");
              if (type != null && type.startsWith("application/grpc")) {
                grpc.handle(req);
              } else {
                router.handle(req);
              }
            },
            config.httpPort(),
            GatewayConfig.HTTP_PORT);
    if (config.grpcPort() >= 0) {
      grpcServer = listen(grpc, config.grpcPort(), GatewayConfig.GRPC_PORT);
    }
    if (tls != null) {
      tls.watch(vertx, java.util.Arrays.asList(httpServer, grpcServer));
    }
    LOG.info("gateway listening: {}", endpoints());
  }

  /** The web console's API, or null when it is switched off. */
  private ConsoleApi console(GatewayServices services) {
    if (!Boolean.parseBoolean(ctx.setting(GatewayConfig.CONSOLE_ENABLED, "true"))) {
      return null;
    }
    MonitorStore monitor = null;
    if (Boolean.parseBoolean(ctx.setting(GatewayConfig.CONSOLE_MONITOR, "true"))) {
      monitor = new MonitorStore();
      monitorFeed =
          new MonitorFeed(
              monitor,
              ctx.topics(),
              ctx.kafka(),
              ctx.registry(),
              ctx.topicSettings().maxMessageBytes());
      monitorFeed.start();
    }
    String replays = ctx.settings().get(GatewayConfig.CONSOLE_REPLAY_DIR);
    AuditBrowser audit =
        new AuditBrowser(
            () ->
                BlobStores.open(
                    ctx.settings().get(BlobStores.STORE), ctx.dataDir(), ctx.settings()),
            ctx.dataDir(),
            replays == null || replays.isBlank()
                ? ctx.dataDir().resolve("replays")
                : java.nio.file.Path.of(replays),
            java.time.Clock.systemUTC());
    return new ConsoleApi(services, ctx.topics(), monitor, audit);
  }

  private void ensureTopics() {
    Set<String> control =
        Set.of(
            ctx.topics().controlResources(),
            ctx.topics().controlStatus(),
            ctx.topics().generationCancel(),
            ctx.topics().monitorDrift(),
            ctx.topics().monitorOutliers());
    List<TopicSpec> specs = new ArrayList<>();
    ctx.topicSpecs().platformTopics().stream()
        .filter(s -> control.contains(s.name()))
        .forEach(specs::add);
    specs.add(ctx.topicSpecs().gatewayReplies(config.instanceId()));
    specs.add(ctx.topicSpecs().gatewayChunks(config.instanceId()));
    ctx.provisioner().ensureTopics(specs);
  }

  private HttpServer listen(
      io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler, int port, String key) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(port)
            .setHttp2ClearTextEnabled(true)
            .setMaxFormAttributeSize(config.maxBodyBytes())
            // curl -d sends JSON as a form: one field as large as the body must still be read
            .setMaxFormBufferedBytes(config.maxBodyBytes())
            .setIdleTimeout(config.connections().idleTimeoutMs())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setInitialSettings(
                new Http2Settings()
                    .setMaxConcurrentStreams(config.connections().http2MaxConcurrentStreams()));
    if (tls != null) {
      tls.apply(options);
    }
    try {
      return vertx
          .createHttpServer(options)
          .requestHandler(handler)
          .listen()
          .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot listen on "
              + config.host()
              + ":"
              + port
              + " (setting "
              + key
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** The bound HTTP port (useful with port 0). */
  public int httpPort() {
    return httpServer == null ? -1 : httpServer.actualPort();
  }

  /** The bound gRPC-only port, or -1. */
  public int grpcPort() {
    return grpcServer == null ? -1 : grpcServer.actualPort();
  }

  public String replyTopic() {
    return ctx.topics().gatewayReplies(config.instanceId());
  }

  public MeterRegistry meterRegistry() {
    return registry;
  }

  @Override
  public List<String> endpoints() {
    List<String> out = new ArrayList<>();
    String scheme = tls != null ? "https" : "http";
    String host = advertisedHost();
    String notes = (tls != null ? ", TLS" : "") + (security.auth() != null ? ", bearer JWT" : "");
    if (httpServer != null) {
      out.add(
          "HTTP "
              + scheme
              + "://"
              + host
              + ":"
              + httpPort()
              + " (KServe V1, V2 REST, gRPC, /metrics, console /ui"
              + notes
              + ")");
    }
    if (grpcServer != null) {
      out.add("gRPC " + host + ":" + grpcPort() + " (inference.GRPCInferenceService" + notes + ")");
    }
    return out;
  }

  /** Where a client on this machine reaches the listeners. */
  private String advertisedHost() {
    String host = config.host();
    return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
  }

  @Override
  public void close() {
    if (sharesGlobalMeters) {
      Metrics.removeRegistry(registry);
    }
    closeServer(httpServer);
    closeServer(grpcServer);
    httpServer = null;
    grpcServer = null;
    if (monitorFeed != null) {
      monitorFeed.close();
      monitorFeed = null;
    }
    if (streams != null) {
      streams.close();
      streams = null;
    }
    if (bridge != null) {
      bridge.close();
      bridge = null;
    }
    if (reader != null) {
      reader.close();
      reader = null;
    }
    if (vertx != null) {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("vert.x did not close cleanly: {}", e.toString());
      }
      vertx = null;
    }
  }

  private static void closeServer(HttpServer server) {
    if (server != null) {
      try {
        server.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("server did not close cleanly: {}", e.toString());
      }
    }
  }
}
