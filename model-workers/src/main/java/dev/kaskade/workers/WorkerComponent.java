package dev.kaskade.workers;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.bridge.BridgeLoader;
import dev.kaskade.workers.generation.CancelWatch;
import dev.kaskade.workers.metrics.WorkerMetrics;
import dev.kaskade.workers.status.StatusPublisher;
import dev.kaskade.workers.storage.StoragePolicy;
import dev.kaskade.workers.worker.BackendModelLoader;
import dev.kaskade.workers.worker.ControlFollower;
import dev.kaskade.workers.worker.ControlState;
import dev.kaskade.workers.worker.GenerationEnv;
import dev.kaskade.workers.worker.ModelLoader;
import dev.kaskade.workers.worker.ResponseWriter;
import dev.kaskade.workers.worker.RevisionWorker;
import dev.kaskade.workers.worker.ServedRevision;
import dev.kaskade.workers.worker.StorageResolver;
import dev.kaskade.workers.worker.WorkerEnv;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model server: follows the control topic, runs one {@link RevisionWorker} per live predictor
 * revision (and the TrainedModels of multi-model revisions), and reports readiness on the status
 * topic. Settings: see {@link WorkerConfig}.
 */
public final class WorkerComponent implements KaskadeComponent {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerComponent.class);

  private final KaskadeContext ctx;
  private final WorkerConfig config;
  private final WorkerMetrics metrics;
  private final ModelLoader loader;
  private final Map<String, RevisionWorker> running = new HashMap<>();
  private Producer<byte[], byte[]> producer;
  private ControlFollower follower;
  private WorkerEnv env;
  private CancelWatch cancels;

  /**
   * Records on Micrometer's global registry, as the stream processors do: in {@code kaskade up} the
   * gateway's Prometheus registry is a member of it (its {@code /metrics} shows the {@code
   * nv_inference_*} meters), and {@code kaskade worker} serves it on {@code --metrics-port}.
   */
  public WorkerComponent(KaskadeContext ctx) {
    this(ctx, io.micrometer.core.instrument.Metrics.globalRegistry);
  }

  public WorkerComponent(KaskadeContext ctx, MeterRegistry registry) {
    this(ctx, registry, null);
  }

  /** With a custom loader (tests, embedding); null uses the backends on the class path. */
  public WorkerComponent(KaskadeContext ctx, MeterRegistry registry, ModelLoader loader) {
    this.ctx = ctx;
    this.config = WorkerConfig.from(ctx);
    this.metrics = new WorkerMetrics(registry);
    this.loader =
        loader != null
            ? loader
            : new BridgeLoader(
                new BackendModelLoader(
                    BackendRegistry.load(),
                    StorageResolver.initializer(
                        config.modelsDir(), StoragePolicy.from(ctx.settings()))),
                config.upstreamUrl());
  }

  @Override
  public String name() {
    return "model-workers";
  }

  public WorkerConfig config() {
    return config;
  }

  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  @Override
  public void start() throws Exception {
    List<dev.kaskade.schemas.topic.TopicSpec> topics =
        new ArrayList<>(ctx.topicSpecs().platformTopics());
    topics.add(ctx.topicSpecs().deadLetter(WorkerEnv.DEAD_LETTER_COMPONENT));
    ctx.provisioner().ensure(topics);
    Map<String, Object> producerConfig =
        ClientConfigs.producer(ctx.kafka(), ctx.topicSettings().maxMessageBytes());
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kaskade-worker-" + config.instanceId());
    producer = new KafkaProducer<>(producerConfig);
    StatusPublisher status =
        new StatusPublisher(
            producer,
            new AvroSerializer<ComponentStatus>(ctx.registry()),
            ctx.topics().controlStatus(),
            config.instanceId());
    env =
        new WorkerEnv(
            ctx,
            producer,
            new ResponseWriter(
                producer, new AvroSerializer<InferenceResponse>(ctx.registry()), ctx.topics()),
            status,
            new AvroDeserializer<>(ctx.registry(), InferenceRequest.class),
            loader,
            metrics,
            config.instanceId(),
            config.memoryBudgetBytes(),
            generationEnv());
    follower =
        new ControlFollower(ctx, "kaskade-worker-control-" + config.instanceId(), this::reconcile);
    follower.start(Duration.ofSeconds(30));
    LOG.info("model worker {} started", config.instanceId());
  }

  private GenerationEnv generationEnv() {
    cancels =
        new CancelWatch(
            ctx.kafka(),
            ctx.registry(),
            ctx.topics().generationCancel(),
            ctx.topicSettings().maxMessageBytes());
    cancels.start();
    return new GenerationEnv(
        cancels,
        new AvroSerializer<GenerationEvent>(ctx.registry()),
        Long.parseLong(ctx.setting(WorkerConfig.GENERATION_COALESCE_MS, "15").trim()),
        Integer.parseInt(ctx.setting(WorkerConfig.GENERATION_DEFAULT_MAX_TOKENS, "256").trim()),
        Integer.parseInt(ctx.setting(WorkerConfig.GENERATION_MAX_TOKENS, "4096").trim()));
  }

  /** Revisions this instance runs now, by {@code namespace/isvc/revision}. */
  public synchronized Set<String> revisions() {
    return Set.copyOf(running.keySet());
  }

  private synchronized void reconcile(ControlState state) {
    Map<String, ServedRevision> desired = new HashMap<>(state.revisions());
    desired.values().removeIf(r -> !config.serves(r.namespace(), r.inferenceService()));
    for (var it = running.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!desired.containsKey(entry.getKey())) {
        it.remove();
        RevisionWorker worker = entry.getValue();
        LOG.info("stopping revision {}", entry.getKey());
        Thread.ofVirtual().start(worker::close);
      }
    }
    for (ServedRevision revision : desired.values()) {
      var trained = state.trainedModels(revision.namespace(), revision.inferenceService());
      RevisionWorker worker = running.get(revision.key());
      if (worker == null) {
        LOG.info("starting revision {}", revision.key());
        worker = new RevisionWorker(env, revision, trained);
        running.put(revision.key(), worker);
        worker.start();
      } else {
        worker.trainedModelsChanged(trained);
      }
    }
  }

  @Override
  public void close() {
    if (follower != null) {
      follower.close();
    }
    List<Thread> closing = new ArrayList<>();
    synchronized (this) {
      running.values().forEach(w -> closing.add(Thread.ofVirtual().start(w::close)));
      running.clear();
    }
    for (Thread thread : closing) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (cancels != null) {
      cancels.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
