package dev.kaskade.processors.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.graph.GraphRouter.Result;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.processors.kafka.ControlCache;
import dev.kaskade.processors.kafka.DeadLetters;
import dev.kaskade.processors.kafka.Failures;
import dev.kaskade.processors.kafka.RequestReplyClient;
import dev.kaskade.processors.kafka.Wiring;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.serde.PoisonRecords;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The InferenceGraph router deployable: consumes every {@code <ns>.graph.<name>.requests} topic,
 * runs the graph (steps are InferenceRequests to each InferenceService, answered on this instance's
 * reply topic) and publishes the InferenceResponse (V1 body in json_payload) to {@code
 * graph.<name>.responses} and the caller's reply-to.
 *
 * <p>A step goes where the gateway would send it: straight to the predictor topic of the ready
 * revision the canary split picks ({@link ControlCache#directRevision}, header {@code
 * kaskade-model-version}) when the InferenceService has no transformer, saving the dispatcher's
 * hop; otherwise to its requests topic, for its transformer or the dispatcher.
 *
 * <p>A plain consumer with a pending map rather than a Streams topology: a graph request waits for
 * several model answers arriving on another topic, concurrently with other graph requests, which a
 * Streams processor cannot do without blocking its thread. Offsets are committed once a polled
 * batch has been dispatched (at-most-once for requests in flight during a crash; their callers time
 * out, as with KServe's HTTP router).
 */
public final class GraphService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GraphService.class);

  /** Parsed graph specs kept (by nodes JSON); a changed graph's old spec ages out. */
  static final int SPEC_CACHE_SIZE = 256;

  private final Wiring wiring;
  private final ControlCache control;
  private final RequestReplyClient client;
  private final MeterRegistry meters;
  private final Duration defaultTimeout;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroDeserializer<InferenceRequest> requests;
  private final AvroSerializer<InferenceResponse> responses;
  private final SpecCache specs = new SpecCache(SPEC_CACHE_SIZE);
  private final Thread loop;
  private volatile boolean running = true;

  public GraphService(
      Wiring wiring,
      ControlCache control,
      RequestReplyClient client,
      MeterRegistry meters,
      Duration defaultTimeout) {
    this.wiring = wiring;
    this.control = control;
    this.client = client;
    this.meters = meters;
    this.defaultTimeout = defaultTimeout;
    this.consumer = new KafkaConsumer<>(wiring.consumerConfig());
    this.producer =
        new KafkaProducer<>(ClientConfigs.producer(wiring.bootstrap(), wiring.maxMessageBytes()));
    this.requests = new AvroDeserializer<>(wiring.registry(), InferenceRequest.class);
    this.responses = new AvroSerializer<>(wiring.registry());
    consumer.subscribe(
        Pattern.compile(
            Pattern.quote(wiring.topics().prefix() + ".") + "[^.]+\\.graph\\.[^.]+\\.requests"));
    this.loop = Thread.ofPlatform().name("graph-router").start(this::run);
  }

  /** namespace and graph name of a graph requests topic. */
  record GraphTopic(String namespace, String graph) {
    static Optional<GraphTopic> parse(String prefix, String topic) {
      String[] parts = topic.split("\\.");
      String[] prefixParts = prefix.split("\\.");
      int p = prefixParts.length;
      if (parts.length != p + 4 || !parts[p + 1].equals("graph")) {
        return Optional.empty();
      }
      return Optional.of(new GraphTopic(parts[p], parts[p + 2]));
    }
  }

  /**
   * A failed poll or commit is logged and the loop goes on (as the explainer's): only closing or a
   * fatal JVM error ends it.
   */
  private void run() {
    try {
      while (running) {
        try {
          var records = consumer.poll(Duration.ofMillis(200));
          for (ConsumerRecord<String, byte[]> record : records) {
            process(record);
          }
          if (!records.isEmpty()) {
            consumer.commitAsync();
          }
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          LOG.error("graph router poll failed; going on", e);
          Failures.pauseAfterPollFailure();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  /**
   * One record, isolated: whatever it throws (a stack overflow included, which unwinds cleanly)
   * fails that request alone, dead-lettered and answered, and the loop goes on serving every other
   * graph. Other VM errors (out of memory, internal errors) are not recoverable and end the loop.
   */
  private void process(ConsumerRecord<String, byte[]> record) {
    try {
      handle(record);
    } catch (Throwable e) {
      Failures.rethrowIfFatal(e);
      failed(record, e);
    }
  }

  private void failed(ConsumerRecord<String, byte[]> record, Throwable error) {
    LOG.error("graph request {}@{} failed", record.topic(), record.offset(), error);
    try {
      producer.send(
          DeadLetters.of(
              wiring.topics().deadLetter(DeadLetters.COMPONENT),
              record,
              Reason.INTERNAL,
              PoisonRecords.describe(
                  record, error instanceof Exception e ? e : new IllegalStateException(error))));
      Optional<GraphTopic> topic = GraphTopic.parse(wiring.topics().prefix(), record.topic());
      if (topic.isPresent()) {
        answer(topic.get(), record.key(), null, GraphRouter.failure(error), record.headers());
      }
    } catch (RuntimeException e) {
      LOG.error("could not answer failed graph request {}", record.key(), e);
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    Optional<GraphTopic> topic = GraphTopic.parse(wiring.topics().prefix(), record.topic());
    if (topic.isEmpty() || record.value() == null) {
      return;
    }
    InferenceRequest request;
    try {
      request = requests.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      producer.send(
          DeadLetters.of(
              wiring.topics().deadLetter(DeadLetters.COMPONENT),
              record,
              Reason.DESERIALIZATION_FAILED,
              PoisonRecords.describe(record, e)));
      answer(
          topic.get(),
          record.key(),
          null,
          GraphRouter.failure(400, e.getMessage()),
          record.headers());
      return;
    }
    Loaded graph;
    JsonNode input;
    try {
      graph = load(topic.get());
      input = Payloads.requestBody(request);
    } catch (KaskadeException e) {
      answer(
          topic.get(),
          request.getId(),
          request,
          GraphRouter.failure(e.reason().httpStatus(), e.getMessage()),
          record.headers());
      return;
    }
    route(topic.get(), request, input, graph, new RecordHeaders(record.headers().toArray()));
  }

  /** A graph's parsed spec and its own timeout. */
  private record Loaded(GraphSpec spec, Duration timeout) {}

  /** The graph's spec; NOT_FOUND when it does not exist, INVALID_ARGUMENT when it is invalid. */
  private Loaded load(GraphTopic topic) {
    InferenceGraphSpec graphSpec =
        control
            .get("InferenceGraph", topic.namespace(), topic.graph())
            .map(ResourceEvent::getSpec)
            .filter(InferenceGraphSpec.class::isInstance)
            .map(InferenceGraphSpec.class::cast)
            .orElseThrow(
                () ->
                    KaskadeException.notFound(
                        "InferenceGraph " + topic.graph() + " does not exist"));
    Long seconds = graphSpec.getTimeoutSeconds();
    Duration timeout =
        seconds != null && seconds > 0 ? Duration.ofSeconds(seconds) : defaultTimeout;
    return new Loaded(specs.get(graphSpec.getNodesJson()), timeout);
  }

  private void route(
      GraphTopic topic, InferenceRequest request, JsonNode input, Loaded graph, Headers headers) {
    long deadline = deadline(request, graph.timeout(), System.currentTimeMillis());
    GraphRouter router =
        new GraphRouter(
            topic.graph(),
            topic.namespace(),
            graph.spec(),
            (service, namespace, body) -> callService(request, service, namespace, body, deadline),
            () -> ThreadLocalRandom.current().nextDouble(),
            meters);
    router
        .route(input)
        .whenComplete(
            (result, error) -> {
              try {
                answer(
                    topic,
                    request.getId(),
                    request,
                    error == null ? result : GraphRouter.failure(error),
                    headers);
              } catch (RuntimeException e) {
                LOG.error("could not answer graph request {}", request.getId(), e);
              }
            });
  }

  /** The earlier of the caller's deadline and the graph's own timeout from now. */
  static long deadline(InferenceRequest request, Duration timeout, long now) {
    long own = now + timeout.toMillis();
    Long caller = request.getDeadlineEpochMs();
    return caller == null || caller <= 0 ? own : Math.min(caller, own);
  }

  private CompletableFuture<Result> callService(
      InferenceRequest graphRequest,
      String service,
      String namespace,
      JsonNode body,
      long deadline) {
    InferenceRequest step =
        InferenceRequest.newBuilder()
            .setId(graphRequest.getId() + "." + service + "." + Long.toHexString(System.nanoTime()))
            .setModel(service)
            .setNamespace(namespace)
            .setProtocol("v1")
            .setInputs(
                Payloads.tensorsFor(
                    body, control.inputName(namespace, service).orElse(Payloads.DEFAULT_INPUT)))
            .setJsonPayload(Json.write(body))
            .setTraceparent(graphRequest.getTraceparent())
            .setDeadlineEpochMs(deadline)
            .setCreatedEpochMs(System.currentTimeMillis())
            .build();
    Duration remaining = Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis()));
    Map<String, String> headers = new HashMap<>();
    if (graphRequest.getTraceparent() != null) {
      headers.put(KaskadeHeaders.TRACEPARENT, graphRequest.getTraceparent());
    }
    StepTarget target = target(namespace, service, step.getId());
    if (target.revision() != null) {
      headers.put(KaskadeHeaders.MODEL_VERSION, target.revision());
    }
    return client.call(target.topic(), step, headers, remaining).thenApply(GraphService::toResult);
  }

  /** Where a step goes, and the revision it is pinned to when it skips the dispatcher. */
  private record StepTarget(String topic, String revision) {}

  private StepTarget target(String namespace, String service, String stepId) {
    Optional<String> revision = control.directRevision(namespace, service, stepId);
    if (revision.isPresent()) {
      try {
        return new StepTarget(
            wiring.topics().predictor(namespace, service, revision.get()), revision.get());
      } catch (IllegalArgumentException e) {
        LOG.warn("revision {} of {}/{}: {}", revision.get(), namespace, service, e.getMessage());
      }
    }
    return new StepTarget(wiring.topics().requests(namespace, service), null);
  }

  static Result toResult(InferenceResponse response) {
    if (response.getError() != null) {
      ObjectNode body = Json.object().put("error", response.getError().getMessage());
      return new Result(body, Reason.fromCode(response.getError().getCode()).httpStatus());
    }
    JsonNode body = Payloads.responseBody(response);
    return new Result(body, 200, GraphOutputs.of(response, body));
  }

  private void answer(
      GraphTopic topic, String id, InferenceRequest request, Result result, Headers inHeaders) {
    InferenceResponse.Builder response =
        InferenceResponse.newBuilder()
            .setId(id == null ? "" : id)
            .setModel(topic.graph())
            .setNamespace(topic.namespace())
            .setOutputs(
                request == null || "v1".equals(request.getProtocol())
                    ? List.of()
                    : result.outputs())
            .setJsonPayload(Json.write(result.body()))
            .setCreatedEpochMs(System.currentTimeMillis());
    if (!result.ok()) {
      String message =
          result.body().has("cause")
              ? result.body().path("cause").asText()
              : result.body().path("error").asText(result.body().toString());
      response.setError(new InferenceError(Reason.fromHttpStatus(result.status()).name(), message));
    }
    InferenceResponse value = response.build();
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.REQUEST_ID, id);
    KaskadeHeaders.put(headers, KaskadeHeaders.MODEL, topic.graph());
    KaskadeHeaders.put(headers, KaskadeHeaders.NAMESPACE, topic.namespace());
    KaskadeHeaders.put(
        headers,
        KaskadeHeaders.CORRELATION_ID,
        KaskadeHeaders.get(inHeaders, KaskadeHeaders.CORRELATION_ID));
    KaskadeHeaders.put(
        headers,
        KaskadeHeaders.TRACEPARENT,
        KaskadeHeaders.get(inHeaders, KaskadeHeaders.TRACEPARENT));
    String out = wiring.topics().graphResponses(topic.namespace(), topic.graph());
    producer.send(new ProducerRecord<>(out, null, id, responses.serialize(out, value), headers));
    String replyTo = KaskadeHeaders.get(inHeaders, KaskadeHeaders.REPLY_TO);
    // Only a reply topic: a header naming any other topic (a model's requests, the control topic)
    // must not make the router write there.
    if (wiring.topics().isReplyTopic(replyTo)) {
      producer.send(
          new ProducerRecord<>(replyTo, null, id, responses.serialize(replyTo, value), headers));
    }
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
    producer.close(Duration.ofSeconds(2));
  }
}
