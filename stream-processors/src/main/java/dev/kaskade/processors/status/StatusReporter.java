package dev.kaskade.processors.status;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.TransformerSpec;
import dev.kaskade.processors.kafka.ControlCache;
import dev.kaskade.processors.status.ServedComponents.Report;
import dev.kaskade.processors.transform.TransformerLoader;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link ServedComponents} to the compacted status topic, keyed per instance: on change
 * only, a tombstone when a component goes away, and Unloaded for everything on close (as workers
 * do), so {@code get} and the gateway never see a stopped processor as serving.
 */
public final class StatusReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
  static final Duration TICK = Duration.ofMillis(500);

  /** Where status records go: the status topic, or a test's list. */
  interface Sink extends AutoCloseable {
    /** Publishes a status, or a tombstone when status is null. */
    void send(String key, ComponentStatus status);

    @Override
    void close();
  }

  private final Supplier<? extends Collection<ResourceEvent>> resources;
  private final Set<String> enabled;
  private final Consumer<TransformerSpec> build;
  private final BooleanSupplier explainerAlive;
  private final String instance;
  private final Sink sink;
  private final Map<String, Report> published = new HashMap<>();
  private final Checks<TransformerSpec> transformerChecks = new Checks<>();
  private final Checks<String> graphChecks = new Checks<>();
  private final Thread thread;
  private volatile boolean running = true;

  public StatusReporter(
      ControlCache control,
      Set<String> enabled,
      TransformerLoader loader,
      BooleanSupplier explainerAlive,
      KafkaConnection bootstrap,
      SchemaRegistryClient registry,
      String statusTopic,
      int maxMessageBytes,
      String instance) {
    this(
        control::all,
        enabled,
        loader::load,
        explainerAlive,
        new TopicSink(bootstrap, registry, statusTopic, maxMessageBytes),
        instance);
  }

  StatusReporter(
      Supplier<? extends Collection<ResourceEvent>> resources,
      Set<String> enabled,
      Consumer<TransformerSpec> build,
      BooleanSupplier explainerAlive,
      Sink sink,
      String instance) {
    this.resources = resources;
    this.enabled = enabled;
    this.build = build;
    this.explainerAlive = explainerAlive;
    this.sink = sink;
    this.instance = instance;
    this.thread = Thread.ofPlatform().daemon().name("processors-status").start(this::run);
  }

  /** One report per tick; a failed tick waits the tick too, so an error cannot spin the loop. */
  private void run() {
    while (running) {
      try {
        publishChanges(
            ServedComponents.of(
                resources.get(),
                enabled,
                spec -> transformerChecks.get(spec, this::transformerProblem),
                json -> graphChecks.get(json, ServedComponents::graphProblem),
                explainerAlive.getAsBoolean()
                    ? Optional.empty()
                    : Optional.of("the explainer has stopped")));
      } catch (RuntimeException e) {
        LOG.warn("cannot report processor status: {}", e.toString());
      } finally {
        transformerChecks.endTick();
        graphChecks.endTick();
      }
      try {
        Thread.sleep(TICK);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Built once per spec while the spec is in use (the loader caches what builds); a failure is
   * retried on a new spec. Graphs are parsed once per nodes JSON in the same way.
   */
  private Optional<String> transformerProblem(TransformerSpec spec) {
    try {
      build.accept(spec);
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private synchronized void publishChanges(List<Report> reports) {
    Map<String, Report> now = new HashMap<>();
    reports.forEach(r -> now.put(r.key(instance), r));
    for (Map.Entry<String, Report> e : now.entrySet()) {
      if (!Objects.equals(published.get(e.getKey()), e.getValue())) {
        send(e.getKey(), status(e.getValue(), e.getValue().state()));
      }
    }
    for (String gone : published.keySet()) {
      if (!now.containsKey(gone)) {
        send(gone, null);
      }
    }
    published.clear();
    published.putAll(now);
  }

  private ComponentStatus status(Report r, ModelState state) {
    return ComponentStatus.newBuilder()
        .setKind(r.kind())
        .setNamespace(r.namespace())
        .setName(r.name())
        .setComponent(r.component())
        .setRevision(r.revision())
        .setState(state)
        .setReason(
            switch (state) {
              case Ready -> "Serving";
              case FailedToLoad -> "LoadFailed";
              default -> "Stopped";
            })
        .setMessage(state == ModelState.FailedToLoad ? r.message() : null)
        .setInstance(instance)
        .setTimestampMs(System.currentTimeMillis())
        .build();
  }

  private void send(String key, ComponentStatus status) {
    sink.send(key, status);
  }

  /** The compacted status topic. */
  private static final class TopicSink implements Sink {
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroSerializer<ComponentStatus> serializer;

    TopicSink(
        KafkaConnection bootstrap,
        SchemaRegistryClient registry,
        String topic,
        int maxMessageBytes) {
      this.topic = topic;
      Map<String, Object> config = ClientConfigs.producer(bootstrap, maxMessageBytes);
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      this.producer = new KafkaProducer<>(config);
      this.serializer = new AvroSerializer<>(registry);
    }

    @Override
    public void send(String key, ComponentStatus status) {
      producer.send(
          new ProducerRecord<>(
              topic,
              key.getBytes(StandardCharsets.UTF_8),
              status == null ? null : serializer.serialize(topic, status)),
          (meta, error) -> {
            if (error != null) {
              LOG.warn("cannot publish status {}: {}", key, error.toString());
            }
          });
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      published.forEach((key, r) -> send(key, status(r, ModelState.Unloaded)));
      published.clear();
    }
    sink.close();
  }
}
