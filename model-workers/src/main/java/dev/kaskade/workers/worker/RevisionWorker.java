package dev.kaskade.workers.worker;

import dev.kaskade.events.BatcherSpec;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.Tensor;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.error.ThrottledErrorLog;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.PoisonRecords;
import dev.kaskade.schemas.serde.SerializationFailure;
import dev.kaskade.workers.WorkerConfig;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.batch.BatchPlanner;
import dev.kaskade.workers.batch.BatchPolicy;
import dev.kaskade.workers.batch.BatchRunner;
import dev.kaskade.workers.batch.BatchRunner.Outcome;
import dev.kaskade.workers.batch.BatchWindow;
import dev.kaskade.workers.generation.GenerativeModel;
import dev.kaskade.workers.status.StatusPublisher.Subject;
import dev.kaskade.workers.validation.RequestValidator;
import dev.kaskade.workers.worker.ResponseWriter.Caller;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one predictor revision: consumes its predictor topic in group {@code
 * kaskade-worker-<ns>-<isvc>-<revision>}, validates, batches, runs and answers each request, and
 * commits only what Kafka acknowledged. One platform thread owns the consumer; models load on
 * virtual threads and report back through {@link ModelSlots}.
 */
public final class RevisionWorker implements AutoCloseable, ScaleToZero.Worker {
  private static final Logger LOG = LoggerFactory.getLogger(RevisionWorker.class);
  // A request that triggers a bug may be repeated by its client: one stack trace per interval.
  private static final ThrottledErrorLog UNEXPECTED = ThrottledErrorLog.everyTenSeconds();
  private static final long IDLE_POLL_MS = 100;

  /** How often the loop commits what was answered, by default (see {@link #commitAcknowledged}). */
  static final long COMMIT_INTERVAL_MS = 100;

  private final WorkerEnv env;
  private final ServedRevision served;
  private final String predictorTopic;
  private final String responsesTopic;
  private BatchPolicy policy;
  private final ModelSlots slots;
  private final OutlierParameters outliers;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final OffsetTracker tracker = new OffsetTracker();
  private final BatchWindow<Pending> window;
  private final List<Ack> acks = new ArrayList<>();
  private final GenerationRunner generations;
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean scaledToZero;
  private volatile long lastRecordMs = System.currentTimeMillis();
  private final long commitIntervalMs;
  private long lastCommitMs = System.currentTimeMillis();

  private record Ack(TopicPartition partition, long offset, List<Future<RecordMetadata>> futures) {}

  public RevisionWorker(
      WorkerEnv env, ServedRevision served, Map<String, TrainedModelSpec> models) {
    this.env = env;
    this.served = served;
    var topics = env.ctx().topics();
    this.predictorTopic =
        topics.predictor(served.namespace(), served.inferenceService(), served.revision());
    this.responsesTopic = topics.responses(served.namespace(), served.inferenceService());
    this.policy = policyOf(served.predictor());
    this.window = new BatchWindow<>(policy);
    this.slots = new ModelSlots(env, served, models, this::adoptModelBatching);
    this.outliers = OutlierParameters.of(served);
    this.consumer = new KafkaConsumer<>(consumerConfig(env, served));
    this.commitIntervalMs =
        Long.parseLong(
            env.ctx()
                .setting(WorkerConfig.COMMIT_INTERVAL_MS, Long.toString(COMMIT_INTERVAL_MS))
                .trim());
    this.generations =
        new GenerationRunner(
            new GenerationJob(
                env,
                env.generation(),
                served,
                responsesTopic,
                topics.chunks(served.namespace(), served.inferenceService()),
                () -> closing));
    this.thread = Thread.ofPlatform().name("worker-" + served.key()).daemon().unstarted(this::run);
  }

  /** How soon the group notices a dead replica (see consumerConfig). */
  static final int SESSION_TIMEOUT_MS = 10_000;

  /** {@code kaskade-worker-<ns>-<isvc>-<revision>}: replicas of a revision share the load. */
  public static String groupId(ServedRevision served) {
    return "kaskade-worker-%s-%s-%s"
        .formatted(served.namespace(), served.inferenceService(), served.revision());
  }

  static BatchPolicy policyOf(PredictorSpec predictor) {
    BatcherSpec batcher = predictor.getBatcher();
    return batcher == null
        ? BatchPolicy.perPoll()
        : new BatchPolicy(Math.max(1, batcher.getMaxBatchSize()), batcher.getMaxLatencyMs());
  }

  /**
   * A loaded model that brings its own batching (Triton's {@code dynamic_batching}, {@code
   * max_batch_size}) sets the window from now on; runs on the loop thread, before any request of
   * the model is admitted.
   */
  private void adoptModelBatching(LoadedModel model) {
    model
        .batching()
        .ifPresent(
            batching -> {
              BatcherSpec batcher = served.predictor().getBatcher();
              policy =
                  BatchPolicy.forModel(
                      batcher == null ? Optional.empty() : Optional.of(policy), batching);
              window.policy(policy);
              LOG.info("{} batches by the model's own settings: {}", served.key(), policy);
            });
  }

  public ServedRevision served() {
    return served;
  }

  @Override
  public void start() {
    thread.start();
  }

  /** New TrainedModel set of this InferenceService (from the control thread). */
  @Override
  public void trainedModelsChanged(Map<String, TrainedModelSpec> models) {
    slots.trainedModelsChanged(models);
  }

  private void run() {
    try {
      env.ctx()
          .provisioner()
          .ensure(
              env.ctx()
                  .topicSpecs()
                  .inferenceServiceTopics(
                      served.namespace(), served.inferenceService(), served.revision()));
      consumer.subscribe(List.of(predictorTopic), new Rebalance());
      slots.startPrimary();
      while (!closing) {
        step();
      }
    } catch (WakeupException | InterruptException e) {
      // closing
    } catch (RuntimeException e) {
      if (closing) {
        LOG.debug("worker {} stopped while starting", served.key(), e); // interrupted by close
      } else {
        LOG.error("worker {} stopped", served.key(), e);
      }
    } finally {
      Thread.interrupted();
      commitOnStop();
      try {
        consumer.close(Duration.ofSeconds(1));
      } catch (RuntimeException e) {
        LOG.debug("closing consumer of {}", served.key(), e);
      }
      slots.close(scaledToZero);
    }
  }

  /**
   * The last commit of a stopping worker. close() wakes the consumer, and a wakeup not yet consumed
   * by a poll fires on the next blocking call: the commit is tried once more after it.
   */
  private void commitOnStop() {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        commitAll();
        return;
      } catch (WakeupException e) {
        // consumed now; try again
      } catch (RuntimeException e) {
        LOG.debug(
            "last commit of {} not made; a replica re-reads from the one before", served.key(), e);
        return;
      }
    }
  }

  private void step() {
    for (Pending ready : slots.runCommands()) {
      route(ready);
    }
    for (GenerationRunner.Done done : generations.drain()) {
      acks.add(new Ack(done.partition(), done.offset(), done.acks()));
    }
    if (slots.holdRequests() || generations.full()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
    long waitMs = window.waitMs(System.currentTimeMillis(), IDLE_POLL_MS);
    var records = consumer.poll(Duration.ofMillis(waitMs));
    if (!records.isEmpty()) {
      lastRecordMs = System.currentTimeMillis();
    }
    for (ConsumerRecord<byte[], byte[]> record : records) {
      tracker.received(new TopicPartition(record.topic(), record.partition()), record.offset());
      receive(record);
    }
    if (window.due(System.currentTimeMillis())) {
      execute(window.drain());
    }
    if (!closing) {
      commitAcknowledged();
    }
  }

  private void receive(ConsumerRecord<byte[], byte[]> record) {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    InferenceRequest request;
    try {
      request = env.requests().deserialize(record.topic(), record.value());
      if (request == null) {
        throw new SerializationFailure("tombstone on " + record.topic());
      }
    } catch (SerializationFailure | AvroRuntimeException e) {
      deadLetter(record, key, e);
      return;
    }
    String id = request.getId().isEmpty() && key != null ? key : request.getId();
    String model = KaskadeHeaders.get(record.headers(), KaskadeHeaders.MODEL);
    if (model == null || model.isBlank()) {
      model = request.getModel().isBlank() ? served.inferenceService() : request.getModel();
    }
    Caller caller = new Caller(id, model, served.namespace(), record.headers());
    Pending pending = new Pending(record, request, caller, deadline(record, request), null);
    route(pending);
  }

  private static long deadline(ConsumerRecord<byte[], byte[]> record, InferenceRequest request) {
    String header = KaskadeHeaders.get(record.headers(), KaskadeHeaders.DEADLINE);
    if (header != null) {
      try {
        return Long.parseLong(header.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return request.getDeadlineEpochMs() == null ? 0 : request.getDeadlineEpochMs();
  }

  /** Sends the request to its model: admitted to the batch window, held, or answered now. */
  private void route(Pending pending) {
    if (pending.expired(System.currentTimeMillis())) {
      fail(pending, new KaskadeException(Reason.DEADLINE_EXCEEDED, "deadline passed before run"));
      return;
    }
    try {
      LoadedModel model = slots.modelFor(pending);
      if (model == null) {
        return; // held until its model loads; ModelSlots hands it back
      }
      if (model instanceof GenerativeModel generative
          && pending.request().getGeneration() != null) {
        generations.submit(pending, generative);
        return;
      }
      if (pending.request().getGeneration() != null) {
        throw KaskadeException.invalid(
            "Model " + pending.caller().model() + " does not support the OpenAI generation API.");
      }
      List<Tensor> inputs =
          RequestValidator.bindTextInstances(
              pending.request().getInputs(), pending.request().getJsonPayload(), model.metadata());
      Pending bound =
          pending.withInputs(RequestValidator.bindDefaultInput(inputs, model.metadata()));
      RequestValidator.validate(
          bound.request().getInputs(), bound.request().getRequestedOutputs(), model.metadata());
      Pending admitted = bound.withModel(model);
      window.add(admitted, admitted.rows(), System.currentTimeMillis());
    } catch (KaskadeException e) {
      fail(pending, e);
    } catch (RuntimeException e) {
      // One request must never stop the worker: an unexpected failure answers only its caller.
      UNEXPECTED.log(LOG, "request " + pending.caller().requestId() + " failed unexpectedly", e);
      fail(pending, new KaskadeException(Reason.INTERNAL, "request could not be run"));
    }
  }

  private void execute(List<Pending> items) {
    List<Pending> live = new ArrayList<>(items.size());
    long now = System.currentTimeMillis();
    for (Pending p : items) {
      if (p.expired(now)) {
        fail(p, new KaskadeException(Reason.DEADLINE_EXCEEDED, "deadline passed before run"));
      } else {
        live.add(p);
      }
    }
    for (List<Pending> batch :
        BatchPlanner.plan(live, Pending::mergeKey, Pending::rows, policy.maxBatchSize())) {
      List<Outcome> outcomes =
          BatchRunner.run(batch.get(0).model(), batch.stream().map(Pending::job).toList());
      if (closing) {
        return; // stopped mid-batch: nothing answered, nothing committed, a replica re-reads it
      }
      record(batch, outcomes);
    }
  }

  private void record(List<Pending> batch, List<Outcome> outcomes) {
    boolean merged =
        outcomes.stream()
            .allMatch(o -> o instanceof Outcome.Success s && s.batchSize() == batch.size());
    String version = served.revision();
    if (merged && batch.size() > 1) {
      long computeUs = ((Outcome.Success) outcomes.get(0)).computeMicros();
      env.metrics().execution(batch.get(0).caller().model(), version, batch.size(), computeUs);
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      switch (outcomes.get(i)) {
        case Outcome.Success s -> {
          if (!merged || batch.size() == 1) {
            env.metrics().execution(p.caller().model(), version, 1, s.computeMicros());
          }
          long queueUs = Math.max(0, System.currentTimeMillis() - p.record().timestamp()) * 1000;
          env.metrics().success(p.caller().model(), version, queueUs, s.computeMicros());
          answer(
              p,
              ResponseWriter.success(
                  p.caller(),
                  version,
                  s.outputs(),
                  parameters(p),
                  s.batchSize(),
                  queueUs,
                  s.computeMicros()));
        }
        case Outcome.Failure f -> fail(p, f.error());
      }
    }
  }

  /** Outlier parameters for the InferenceService's own model (not for hosted TrainedModels). */
  private Map<String, String> parameters(Pending p) {
    return p.caller().model().equals(served.inferenceService())
        ? outliers.of(p.request().getInputs())
        : Map.of();
  }

  void fail(Pending pending, KaskadeException error) {
    env.metrics().failure(pending.caller().model(), served.revision(), error.reason().name());
    answer(pending, ResponseWriter.failure(pending.caller(), served.revision(), error));
  }

  private void answer(Pending pending, InferenceResponse response) {
    List<Future<RecordMetadata>> futures =
        env.responses().send(responsesTopic, pending.caller(), response);
    acks.add(new Ack(pending.partition(), pending.record().offset(), futures));
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, String key, Exception cause) {
    String message = PoisonRecords.describe(record, cause);
    LOG.warn("dead-lettering request: {}", message);
    String topic = env.ctx().topics().deadLetter(WorkerEnv.DEAD_LETTER_COMPONENT);
    List<Future<RecordMetadata>> futures = new ArrayList<>();
    futures.add(
        env.producer()
            .send(PoisonRecords.deadLetter(topic, record, Reason.DESERIALIZATION_FAILED, message)));
    if (key != null) {
      Caller caller =
          new Caller(key, served.inferenceService(), served.namespace(), record.headers());
      futures.addAll(
          env.responses()
              .send(
                  responsesTopic,
                  caller,
                  ResponseWriter.failure(
                      caller,
                      served.revision(),
                      new KaskadeException(Reason.DESERIALIZATION_FAILED, message))));
    }
    acks.add(
        new Ack(new TopicPartition(record.topic(), record.partition()), record.offset(), futures));
  }

  /**
   * Commits past the answers Kafka has acknowledged, at most every {@code commitIntervalMs} and
   * without waiting for answers still in flight, so the loop never stops for the broker between
   * polls (waiting for each batch's acknowledgements and then its commit put two broker round trips
   * between every two polls). A worker killed re-reads what was answered since its last commit: the
   * gateway answers each caller once and the audit records each call once, whatever the copies.
   */
  private void commitAcknowledged() {
    acks.removeIf(this::settled);
    long now = System.currentTimeMillis();
    if (now - lastCommitMs >= commitIntervalMs) {
      lastCommitMs = now;
      Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
      if (!offsets.isEmpty()) {
        consumer.commitAsync(
            offsets,
            (committed, error) -> {
              if (error != null) {
                LOG.warn("commit of {} failed: {}", served.key(), error.toString());
              }
            });
      }
    }
  }

  /**
   * Waits for every answer sent, then commits past them: before partitions move to another replica,
   * and when the worker stops, so a clean stop leaves nothing answered to be answered again.
   */
  private void commitAll() {
    if (!acks.isEmpty()) {
      env.producer().flush();
      acks.removeIf(this::settled);
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets);
      } catch (WakeupException | InterruptException e) {
        throw e;
      } catch (KafkaException e) {
        LOG.warn("commit of {} failed: {}", served.key(), e.toString());
      }
    }
  }

  /**
   * Whether every send of an answer is done. An acknowledged answer frees its offset for the next
   * commit; one Kafka refused stays uncommitted, so a replica answers it again.
   */
  private boolean settled(Ack ack) {
    for (Future<RecordMetadata> future : ack.futures()) {
      if (!future.isDone()) {
        return false;
      }
    }
    try {
      for (Future<RecordMetadata> future : ack.futures()) {
        future.get();
      }
      tracker.answered(ack.partition(), ack.offset());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.error(
          "answer to {}@{} not acknowledged; it stays uncommitted",
          ack.partition(),
          ack.offset(),
          e.getCause());
    }
    return true;
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (slots.holdRequests()) {
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!closing) {
        commitAll();
      }
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      acks.removeIf(a -> partitions.contains(a.partition()));
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      window.removeIf(p -> partitions.contains(p.partition()));
      slots.forget(partitions);
      generations.forget(partitions);
      partitions.forEach(tracker::forget);
    }
  }

  private static Map<String, Object> consumerConfig(WorkerEnv env, ServedRevision served) {
    Map<String, Object> config =
        ClientConfigs.consumer(
            env.ctx().kafka(), groupId(served), env.ctx().topicSettings().maxMessageBytes());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId(served) + "-" + env.instance());
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 256);
    // A replica killed with -9 (OOM, node loss) holds its partitions until its session expires:
    // 10 s instead of the default 45 s, so the other replicas take them over before most callers'
    // deadlines pass. Heartbeats come from the consumer's own thread, so a long batch does not
    // risk the session (max.poll.interval.ms covers that).
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 5);
    return config;
  }

  @Override
  public long lastRecordMs() {
    return lastRecordMs;
  }

  /**
   * Stops a {@code minReplicas: 0} revision that stays served: its status says scaled to zero (the
   * gateway keeps routing, waiting requests wake a worker), not unloaded.
   */
  @Override
  public void closeScaledToZero() {
    scaledToZero = true;
    close();
  }

  /** Stops: a batch still running is abandoned unanswered and uncommitted. */
  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(3000);
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Subject subject() {
    return slots.primarySubject();
  }
}
