package dev.kaskade.processors;

import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.explain.ExplainerLimits;
import dev.kaskade.processors.explain.ExplainerService;
import dev.kaskade.processors.graph.GraphService;
import dev.kaskade.processors.kafka.ControlCache;
import dev.kaskade.processors.kafka.DeadLetters;
import dev.kaskade.processors.kafka.RequestReplyClient;
import dev.kaskade.processors.kafka.Wiring;
import dev.kaskade.processors.monitor.MonitorLimits;
import dev.kaskade.processors.monitor.MonitorTopology;
import dev.kaskade.processors.status.ServedComponents;
import dev.kaskade.processors.status.StatusReporter;
import dev.kaskade.processors.topology.ReplaceFailedThread;
import dev.kaskade.processors.topology.StreamsProperties;
import dev.kaskade.processors.transform.TransformerLoader;
import dev.kaskade.processors.transform.TransformerPolicy;
import dev.kaskade.processors.transform.TransformerTopology;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.runtime.MetricsEndpoint;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the stream processors: the transformer and monitor Kafka Streams topologies, and the
 * explainer and graph router request/reply services. Settings: see {@link ProcessorsConfig}.
 */
public final class StreamProcessorsComponent implements KaskadeComponent {
  /** Port of the processors' own {@code /metrics} (0 = any free port); unset = not served. */
  public static final String METRICS_PORT = "processors.metrics.port";

  private static final Logger LOG = LoggerFactory.getLogger(StreamProcessorsComponent.class);

  /**
   * How long start waits for every Streams application to run. Long, because after a {@code kill
   * -9} Streams may re-initialize corrupted exactly-once tasks and restore their stores first; that
   * was seen to take over 60 s (docs/performance.md), and giving up made the whole process exit. An
   * application in ERROR still fails the start at once.
   */
  public static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private static final Set<String> REPORTED =
      Set.of(ServedComponents.TRANSFORMER, ServedComponents.EXPLAINER, ServedComponents.GRAPH);

  private final KaskadeContext ctx;
  private final ProcessorsConfig config;
  private final MeterRegistry meters;

  /** Added to by the on-demand thread too. */
  private final List<KafkaStreams> streams = new CopyOnWriteArrayList<>();

  private final List<AutoCloseable> services = new ArrayList<>();
  private final TransformerLoader loader;
  private ControlCache control;
  private ExplainerService explainer;
  private OnDemandStarts onDemand;

  /** How often the on-demand starts look at the known resources. */
  static final long ON_DEMAND_CHECK_MS = 500;

  public StreamProcessorsComponent(KaskadeContext ctx) {
    this(ctx, Metrics.globalRegistry);
  }

  public StreamProcessorsComponent(KaskadeContext ctx, MeterRegistry meters) {
    this.ctx = ctx;
    this.config = ProcessorsConfig.from(ctx);
    this.meters = meters;
    this.loader = new TransformerLoader(TransformerPolicy.from(ctx.settings()));
  }

  @Override
  public String name() {
    return "stream-processors";
  }

  public ProcessorsConfig config() {
    return config;
  }

  @Override
  public void start() throws Exception {
    Topics topics = ctx.topics();
    TopicSpecs specs = ctx.topicSpecs();
    ctx.provisioner().ensureTopics(specs.platformTopics());
    ctx.provisioner().ensureTopics(specs.deadLetter(DeadLetters.COMPONENT));
    MetricsEndpoint.start(ctx, METRICS_PORT).ifPresent(endpoint -> services.add(endpoint));
    if (config.enabled().contains("transformer")) {
      startWhenNeeded(
          "transformer",
          StreamsDemand.TRANSFORMER,
          () ->
              startStreams(
                  "transformer", TransformerTopology.build(topics, ctx.registry(), loader), false));
    }
    if (config.enabled().contains("monitor")) {
      startWhenNeeded(
          "monitor",
          StreamsDemand.MONITOR,
          () ->
              startStreams(
                  "monitor",
                  MonitorTopology.build(
                      topics,
                      ctx.registry(),
                      meters,
                      MonitorLimits.from(ctx),
                      ctx.topicSettings().partitions()),
                  config.exactlyOnce()));
    }
    if (config.enabled().contains("explainer") || config.enabled().contains("graph")) {
      startServices(topics, specs);
    }
    awaitRunning();
    startStatusReporter();
    LOG.info("stream processors started: {}", config.enabled());
  }

  /**
   * Starts a Streams application now, or, on demand (the default), once the control topic holds a
   * resource that needs it: an idle application still polls, heartbeats and asks for metadata, and
   * every one reading the predictor topics fetches each request (docs/performance.md, change 8).
   * Records produced before the start are not missed: a new application reads its topics from the
   * beginning.
   */
  private void startWhenNeeded(String name, Predicate<ResourceEvent> need, Runnable start) {
    if (!config.onDemand()) {
      start.run();
      return;
    }
    if (onDemand == null) {
      ControlCache resources = control();
      onDemand = new OnDemandStarts(resources::all, ON_DEMAND_CHECK_MS);
    }
    onDemand.register(name, need, start);
  }

  /** Names of the Streams applications not started yet, waiting for a resource that needs them. */
  List<String> waitingForDemand() {
    return onDemand == null ? List.of() : onDemand.waiting();
  }

  private void startStreams(String name, Topology topology, boolean exactlyOnce) {
    KafkaStreams app =
        new KafkaStreams(
            topology,
            StreamsProperties.of(
                ctx.topics().prefix() + "-" + name,
                ctx.kafka(),
                config.stateDir(),
                exactlyOnce,
                ctx.topics().deadLetter(DeadLetters.COMPONENT),
                ctx.topicSettings().maxMessageBytes()));
    app.setUncaughtExceptionHandler(new ReplaceFailedThread(name));
    try {
      app.start();
    } catch (RuntimeException e) {
      app.close(Duration.ZERO); // an on-demand start is tried again: leave no clients behind
      throw e;
    }
    streams.add(app);
  }

  private void startServices(Topics topics, TopicSpecs specs) {
    String replyId = "processors-" + config.instanceId();
    ctx.provisioner().ensureTopics(specs.gatewayReplies(replyId));
    int max = ctx.topicSettings().maxMessageBytes();
    ControlCache control = control();
    RequestReplyClient client =
        new RequestReplyClient(
            ctx.kafka(),
            ctx.registry(),
            topics.gatewayReplies(replyId),
            max,
            ctx.intSetting(
                RequestReplyClient.MAX_IN_FLIGHT, RequestReplyClient.DEFAULT_MAX_IN_FLIGHT));
    services.add(client);
    if (config.enabled().contains("explainer")) {
      explainer =
          new ExplainerService(
              new Wiring(ctx.kafka(), ctx.registry(), topics, max, topics.prefix() + "-explainer"),
              control,
              client,
              ExplainerLimits.from(ctx));
      services.add(0, explainer);
    }
    if (config.enabled().contains("graph")) {
      services.add(
          0,
          new GraphService(
              new Wiring(
                  ctx.kafka(), ctx.registry(), topics, max, topics.prefix() + "-graph-router"),
              control,
              client,
              meters,
              config.graphTimeout()));
    }
  }

  /** The control and status view the services and the status reporter share, opened once. */
  private ControlCache control() {
    if (control == null) {
      control =
          new ControlCache(
              ctx.kafka(),
              ctx.registry(),
              ctx.topics().controlResources(),
              ctx.topics().controlStatus(),
              ctx.topicSettings().maxMessageBytes());
      services.add(control);
    }
    return control;
  }

  /**
   * Reports what this instance serves (transformers, explainers, graphs) once it runs, so the
   * InferenceService and graph statuses say Ready from what actually serves.
   */
  private void startStatusReporter() {
    if (config.enabled().stream().noneMatch(REPORTED::contains)) {
      return;
    }
    services.add(
        0,
        new StatusReporter(
            control(),
            config.enabled(),
            loader,
            () -> explainer == null || explainer.isAlive(),
            ctx.kafka(),
            ctx.registry(),
            ctx.topics().controlStatus(),
            ctx.topicSettings().maxMessageBytes(),
            "processors-" + config.instanceId()));
  }

  private void awaitRunning() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (KafkaStreams app : streams) {
      while (app.state() != KafkaStreams.State.RUNNING) {
        if (app.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
          throw new IllegalStateException("stream processors did not start: " + app.state());
        }
        Thread.sleep(50);
      }
    }
  }

  @Override
  public void close() {
    if (onDemand != null) {
      onDemand.close(); // first: nothing starts while the rest closes
      onDemand = null;
    }
    for (AutoCloseable service : services) {
      try {
        service.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", service, e.toString());
      }
    }
    services.clear();
    control = null;
    for (KafkaStreams app : streams) {
      app.close(StreamsProperties.closeOptions());
    }
    streams.clear();
  }
}
