package dev.kaskade.processors.explain;

import dev.kaskade.events.ExplanationResult;
import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.processors.kafka.ControlCache;
import dev.kaskade.processors.kafka.DeadLetters;
import dev.kaskade.processors.kafka.Failures;
import dev.kaskade.processors.kafka.ModelTopic;
import dev.kaskade.processors.kafka.RequestReplyClient;
import dev.kaskade.processors.kafka.Wiring;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.serde.PoisonRecords;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explainer deployable: consumes every {@code explain.requests} topic, calls the predictor over
 * Kafka with one batched request, and publishes an ExplanationResult to {@code explanations} and,
 * for synchronous callers, an InferenceResponse carrying the V1 explain body to {@code
 * kaskade-reply-to}. It also reads the {@code requests} topics to collect background rows for
 * models whose manifest gives none.
 *
 * <p>A plain consumer rather than a Streams topology: each record waits for a model answer on
 * another topic, which Streams cannot await inside a processor without blocking its thread.
 */
public final class ExplainerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExplainerService.class);
  private static final String KIND = "InferenceService";

  private final Wiring wiring;
  private final ControlCache control;
  private final RequestReplyClient client;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroDeserializer<InferenceRequest> requests;
  private final AvroSerializer<ExplanationResult> results;
  private final AvroSerializer<InferenceResponse> responses;
  private final Map<String, TrafficBackground> traffic = new ConcurrentHashMap<>();
  private final ExplainerLimits limits;
  private final ExecutorService pool;
  private final InFlight inFlight;
  private final Thread loop;
  private volatile boolean running = true;

  public ExplainerService(Wiring wiring, ControlCache control, RequestReplyClient client) {
    this(wiring, control, client, ExplainerLimits.defaults());
  }

  public ExplainerService(
      Wiring wiring, ControlCache control, RequestReplyClient client, ExplainerLimits limits) {
    this.wiring = wiring;
    this.control = control;
    this.client = client;
    this.limits = limits;
    this.pool =
        Executors.newFixedThreadPool(
            limits.threads(), Thread.ofPlatform().name("explainer-worker-", 0).factory());
    this.inFlight = new InFlight(limits.maxInFlight());
    this.consumer = new KafkaConsumer<>(wiring.consumerConfig());
    this.producer =
        new KafkaProducer<>(ClientConfigs.producer(wiring.bootstrap(), wiring.maxMessageBytes()));
    this.requests = new AvroDeserializer<>(wiring.registry(), InferenceRequest.class);
    this.results = new AvroSerializer<>(wiring.registry());
    this.responses = new AvroSerializer<>(wiring.registry());
    String prefix = Pattern.quote(wiring.topics().prefix() + ".");
    consumer.subscribe(Pattern.compile(prefix + "[^.]+\\.[^.]+\\.(explain\\.)?requests"));
    this.loop = Thread.ofPlatform().name("explainer").start(this::run);
  }

  /**
   * Polls and hands each record to {@link #handleSafely}. Explanations run on the worker pool, so
   * the loop never waits for a model; offsets are committed once the records were handed over (a
   * crash loses the in-flight explanations, whose callers time out and retry). A failed poll or
   * commit is logged and the loop goes on: only closing or a fatal JVM error ends it.
   */
  private void run() {
    try {
      while (running) {
        try {
          var records = consumer.poll(Duration.ofMillis(200));
          for (ConsumerRecord<String, byte[]> record : records) {
            handleSafely(record);
          }
          if (!records.isEmpty()) {
            consumer.commitSync();
          }
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          LOG.error("explainer poll failed; going on", e);
          Failures.pauseAfterPollFailure();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  /** One record's failure (any Throwable but a fatal one) dead-letters that record alone. */
  private void handleSafely(ConsumerRecord<String, byte[]> record) {
    try {
      handle(record);
    } catch (Throwable e) {
      Failures.rethrowIfFatal(e);
      LOG.error(
          "explainer failed on {}",
          PoisonRecords.source(record.topic(), record.partition(), record.offset()),
          e);
      producer.send(
          DeadLetters.of(
              wiring.topics().deadLetter(DeadLetters.COMPONENT),
              record,
              Reason.INTERNAL,
              Failures.describe(e)));
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    Optional<ModelTopic> explain =
        ModelTopic.parse(wiring.topics(), "explain.requests", record.topic());
    Optional<ModelTopic> plain = ModelTopic.parse(wiring.topics(), "requests", record.topic());
    if (record.value() == null || (explain.isEmpty() && plain.isEmpty())) {
      return;
    }
    InferenceRequest request;
    try {
      request = requests.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      if (explain.isPresent()) {
        producer.send(
            DeadLetters.of(
                wiring.topics().deadLetter(DeadLetters.COMPONENT),
                record,
                Reason.DESERIALIZATION_FAILED,
                PoisonRecords.describe(record, e)));
      }
      return;
    }
    if (explain.isPresent()) {
      explain(explain.get(), request, record);
    } else {
      collectBackground(plain.get(), request);
    }
  }

  private void collectBackground(ModelTopic model, InferenceRequest request) {
    Optional<ExplainerConfig> config = config(model);
    if (config.isEmpty() || config.get().background() != null) {
      return;
    }
    try {
      traffic
          .computeIfAbsent(
              model.namespace() + "/" + model.name(),
              k -> new TrafficBackground(config.get().backgroundSize()))
          .offer(Payloads.rows(request), limits.backgroundRowsPerRequest());
    } catch (RuntimeException e) {
      LOG.debug("request {} gives no background rows: {}", request.getId(), e.getMessage());
    }
  }

  /** Annotation whose JSON value overrides {@code ExplainerSpec.config_json}. */
  public static final String CONFIG_ANNOTATION = "kaskade.dev/explainer-config";

  private Optional<ExplainerConfig> config(ModelTopic model) {
    Optional<ResourceEvent> resource = control.get(KIND, model.namespace(), model.name());
    return resource
        .map(ResourceEvent::getSpec)
        .filter(InferenceServiceSpec.class::isInstance)
        .map(InferenceServiceSpec.class::cast)
        .map(InferenceServiceSpec::getExplainer)
        .map(
            e ->
                ExplainerConfig.parse(
                    resource
                        .get()
                        .getAnnotations()
                        .getOrDefault(CONFIG_ANNOTATION, e.getConfigJson())));
  }

  /**
   * A V1 body without a numeric tensor (async callers) gets one named as the model's input, so the
   * coalition batch built from it is one the predictor accepts.
   */
  private InferenceRequest withModelInput(ModelTopic model, InferenceRequest request) {
    boolean hasNumeric =
        request.getInputs().stream()
            .anyMatch(t -> dev.kaskade.schemas.tensor.DataTypes.elementSize(t.getDatatype()) > 0);
    if (hasNumeric || request.getJsonPayload() == null) {
      return request;
    }
    try {
      var body = dev.kaskade.processors.json.Json.parse(request.getJsonPayload(), "json_payload");
      var inputs =
          Payloads.tensorsFor(
              body,
              control.inputName(model.namespace(), model.name()).orElse(Payloads.DEFAULT_INPUT));
      return InferenceRequest.newBuilder(request).setInputs(inputs).build();
    } catch (RuntimeException e) {
      return request; // the explainer reports what it cannot read
    }
  }

  /**
   * Starts the explanation on the worker pool and returns at once; the outcome is published when
   * the model answered (or the deadline passed). Above {@link ExplainerLimits#maxInFlight} the
   * caller gets RESOURCE_EXHAUSTED at once instead of queueing behind slow models.
   */
  private void explain(
      ModelTopic model, InferenceRequest asked, ConsumerRecord<String, byte[]> in) {
    CompletableFuture<Explainer.Outcome> running = inFlight.start(pool, () -> start(model, asked));
    if (running == null) {
      publish(
          model,
          asked,
          in,
          Explainer.failure(
              asked,
              new InferenceError(
                  Reason.RESOURCE_EXHAUSTED.name(),
                  limits.maxInFlight()
                      + " explanations are running (setting "
                      + ExplainerLimits.MAX_IN_FLIGHT
                      + "); retry later")));
      return;
    }
    Duration timeout =
        Duration.ofMillis(config(model).orElse(ExplainerConfig.defaults()).tuning().timeoutMs());
    // The caller's deadline goes on a copy: the permit stays held until the model call ends.
    running
        .copy()
        .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .handle((outcome, e) -> e == null ? outcome : Explainer.failure(asked, errorOf(e)))
        .thenAccept(outcome -> publish(model, asked, in, outcome))
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.error("publishing the explanation of {} failed", asked.getId(), e);
              }
            });
  }

  private CompletableFuture<Explainer.Outcome> start(ModelTopic model, InferenceRequest asked) {
    InferenceRequest request = withModelInput(model, asked);
    ExplainerConfig config = config(model).orElse(ExplainerConfig.defaults());
    double[][] background = config.background();
    if (background == null) {
      TrafficBackground seen = traffic.get(model.namespace() + "/" + model.name());
      background = seen == null ? null : seen.rows();
    }
    String target = predictorTopic(model);
    Duration timeout = Duration.ofMillis(config.tuning().timeoutMs());
    // The answer is solved on the pool, not on the request/reply client's thread that the graph
    // router shares.
    return Explainer.explain(
        request,
        config,
        background,
        batch ->
            client
                .call(
                    target,
                    batch,
                    Map.of(KaskadeHeaders.SYNTHETIC, "explainer"),
                    timeout) // not monitored
                .thenApplyAsync(r -> r, pool),
        limits);
  }

  private static InferenceError errorOf(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      return new InferenceError(Reason.DEADLINE_EXCEEDED.name(), "explanation timed out");
    }
    if (cause instanceof KaskadeException k) {
      return k.toInferenceError();
    }
    LOG.error("explanation failed", cause);
    return new InferenceError(
        Reason.INTERNAL.name(), "explanation failed: " + Failures.describe(cause));
  }

  private String predictorTopic(ModelTopic model) {
    return control
        .get(KIND, model.namespace(), model.name())
        .map(ResourceEvent::getSpec)
        .filter(InferenceServiceSpec.class::isInstance)
        .map(s -> ((InferenceServiceSpec) s).getPredictor().getRevision())
        .filter(r -> !r.isEmpty())
        .map(r -> wiring.topics().predictor(model.namespace(), model.name(), r))
        .orElse(wiring.topics().requests(model.namespace(), model.name()));
  }

  private void publish(
      ModelTopic model,
      InferenceRequest request,
      ConsumerRecord<String, byte[]> in,
      Explainer.Outcome outcome) {
    String explanations = wiring.topics().explanations(model.namespace(), model.name());
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.REQUEST_ID, request.getId());
    KaskadeHeaders.put(headers, KaskadeHeaders.MODEL, model.name());
    KaskadeHeaders.put(headers, KaskadeHeaders.NAMESPACE, model.namespace());
    KaskadeHeaders.put(
        headers,
        KaskadeHeaders.CORRELATION_ID,
        KaskadeHeaders.get(in.headers(), KaskadeHeaders.CORRELATION_ID));
    KaskadeHeaders.put(
        headers,
        KaskadeHeaders.TRACEPARENT,
        KaskadeHeaders.get(in.headers(), KaskadeHeaders.TRACEPARENT));
    producer.send(
        new ProducerRecord<>(
            explanations,
            null,
            request.getId(),
            results.serialize(explanations, outcome.result()),
            headers));
    String replyTo = KaskadeHeaders.get(in.headers(), KaskadeHeaders.REPLY_TO);
    if (wiring.topics().isReplyTopic(replyTo)) {
      InferenceResponse response =
          InferenceResponse.newBuilder()
              .setId(request.getId())
              .setModel(request.getModel())
              .setNamespace(model.namespace())
              .setModelVersion(outcome.result().getModelVersion())
              .setJsonPayload(outcome.v1Body())
              .setError(outcome.error())
              .setCreatedEpochMs(System.currentTimeMillis())
              .build();
      producer.send(
          new ProducerRecord<>(
              replyTo, null, request.getId(), responses.serialize(replyTo, response), headers));
    }
  }

  /** False once the poll loop has ended (closed, or a fatal error): explainers are not served. */
  public boolean isAlive() {
    return loop.isAlive();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      loop.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    producer.close(Duration.ofSeconds(2));
  }
}
