package dev.kaskade.workers;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.route.ScaleToZeroRules;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.bridge.BridgeLoader;
import dev.kaskade.workers.cache.LocalModelCacheAgent;
import dev.kaskade.workers.generation.CancelWatch;
import dev.kaskade.workers.metrics.WorkerMetrics;
import dev.kaskade.workers.status.StatusPublisher;
import dev.kaskade.workers.storage.StoragePolicy;
import dev.kaskade.workers.worker.BackendModelLoader;
import dev.kaskade.workers.worker.ControlFollower;
import dev.kaskade.workers.worker.ControlState;
import dev.kaskade.workers.worker.GenerationEnv;
import dev.kaskade.workers.worker.GroupLag;
import dev.kaskade.workers.worker.ModelLoader;
import dev.kaskade.workers.worker.ResponseWriter;
import dev.kaskade.workers.worker.RevisionWorker;
import dev.kaskade.workers.worker.ScaleToZero;
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
import org.apache.kafka.clients.admin.Admin;
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
  private final Map<String, ScaleToZero> scalable = new HashMap<>();
  private Admin admin;
  private Producer<byte[], byte[]> producer;
  private ControlFollower follower;
  private final StorageResolver storage;
  private LocalModelCacheAgent cacheAgent;
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
    this.storage =
        StorageResolver.withLocalCopies(
            StorageResolver.initializer(config.modelsDir(), StoragePolicy.from(ctx.settings())),
            ctx.setting(StorageResolver.LOCAL_MODELS, ""));
    this.loader =
        loader != null
            ? loader
            : new BridgeLoader(
                new BackendModelLoader(BackendRegistry.load(), storage), config.upstreamUrl());
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
    ctx.provisioner().ensureTopics(topics);
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
    if (config.inferenceServices().isEmpty()) {
      // standalone, this worker's models dir is the node of KServe's model cache; in a cluster
      // download Jobs fill node-local volumes instead
      String node =
          ctx.setting(LocalModelCacheAgent.NODE_SETTING, LocalModelCacheAgent.DEFAULT_NODE);
      cacheAgent =
          new LocalModelCacheAgent(
              storage,
              (name, state, reason, message, meta) ->
                  status.cache(
                      new StatusPublisher.Subject(ControlState.LOCAL_MODEL_CACHE, "", name, node),
                      state,
                      reason,
                      message,
                      meta));
    }
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
    Set<String> keys = new java.util.HashSet<>(running.keySet());
    keys.addAll(scalable.keySet());
    return Set.copyOf(keys);
  }

  /** Whether a worker runs this revision now (false while a min-0 revision is scaled to zero). */
  public synchronized boolean awake(String key) {
    ScaleToZero scaler = scalable.get(key);
    return scaler == null ? running.containsKey(key) : scaler.awake();
  }

  private synchronized void reconcile(ControlState state) {
    if (cacheAgent != null) {
      cacheAgent.reconcile(state.localModelCaches());
    }
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
    for (var it = scalable.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!desired.containsKey(entry.getKey())) {
        it.remove();
        LOG.info("stopping revision {}", entry.getKey());
        Thread.ofVirtual().start(entry.getValue()::close);
      }
    }
    for (ServedRevision revision : desired.values()) {
      var trained = state.trainedModels(revision.namespace(), revision.inferenceService());
      if (config.scaleToZero() != null && ScaleToZeroRules.scalesToZero(revision.predictor())) {
        reconcileScalable(revision, trained);
        continue;
      }
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

  /** A {@code minReplicas: 0} revision: runs while requests come, stops when idle. */
  private void reconcileScalable(
      ServedRevision revision, Map<String, dev.kaskade.events.TrainedModelSpec> trained) {
    ScaleToZero scaler = scalable.get(revision.key());
    if (scaler != null) {
      scaler.trainedModelsChanged(trained);
      return;
    }
    LOG.info("starting revision {} (scales to zero when idle)", revision.key());
    if (admin == null) {
      admin = Admin.create(ClientConfigs.admin(ctx.kafka()));
    }
    GroupLag lag = new GroupLag(admin);
    String topic =
        ctx.topics()
            .predictor(revision.namespace(), revision.inferenceService(), revision.revision());
    String group = RevisionWorker.groupId(revision);
    scaler =
        new ScaleToZero(
            revision.key(),
            trained,
            models -> new RevisionWorker(env, revision, models),
            () -> lag.of(topic, group),
            config.scaleToZero());
    scalable.put(revision.key(), scaler);
    scaler.start();
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
      // Stopped with the process, a min-0 revision stays served: its requests wait for a worker.
      scalable.values().forEach(s -> closing.add(Thread.ofVirtual().start(s::closeScaledToZero)));
      scalable.clear();
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
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
