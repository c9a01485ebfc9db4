package dev.kaskade.processors.transform;

import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.processors.kafka.DeadLetters;
import dev.kaskade.processors.kafka.Failures;
import dev.kaskade.processors.kafka.ModelTopic;
import dev.kaskade.processors.topology.ControlStore;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.route.TrafficSplit;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.serde.PoisonRecords;
import dev.kaskade.schemas.serde.SerializationFailure;
import dev.kaskade.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pre-processing (requests → predictor) or post-processing (predictor-responses → responses). */
final class TransformerProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(TransformerProcessor.class);

  private final Topics topics;
  private final SchemaRegistryClient registry;
  private final TransformerLoader loader;
  private final boolean pre;
  private final AvroDeserializer<InferenceRequest> requests;
  private final AvroDeserializer<InferenceResponse> responses;
  private final AvroSerializer<InferenceRequest> requestWriter;
  private final AvroSerializer<InferenceResponse> responseWriter;
  private ProcessorContext<String, byte[]> context;
  private ControlStore control;

  TransformerProcessor(
      Topics topics, SchemaRegistryClient registry, TransformerLoader loader, boolean pre) {
    this.topics = topics;
    this.registry = registry;
    this.loader = loader;
    this.pre = pre;
    this.requests = new AvroDeserializer<>(registry, InferenceRequest.class);
    this.responses = new AvroDeserializer<>(registry, InferenceResponse.class);
    this.requestWriter = new AvroSerializer<>(registry);
    this.responseWriter = new AvroSerializer<>(registry);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.control = ControlStore.open(context, TransformerTopology.CONTROL_STORE, registry);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    Optional<ModelTopic> model =
        ModelTopic.parse(topics, pre ? "requests" : "predictor-responses", meta.topic());
    if (model.isEmpty() || record.value() == null) {
      return;
    }
    Optional<InferenceServiceSpec> spec =
        control.inferenceService(model.get().namespace(), model.get().name());
    if (pre && (spec.isEmpty() || spec.get().getTransformer() == null)) {
      return; // no transformer: the request dispatcher routes this request
    }
    try {
      if (pre) {
        preprocess(model.get(), spec.get(), record, meta);
      } else {
        postprocess(model.get(), spec.orElse(null), record, meta);
      }
    } catch (SerializationFailure e) {
      if (pre && record.key() != null) {
        answerError(
            model.get(),
            record.key(),
            model.get().name(),
            record.headers(),
            new KaskadeException(Reason.DESERIALIZATION_FAILED, e.getMessage()),
            "decode");
      }
      context.forward(
          record.withHeaders(
              route(
                  DeadLetters.headers(
                      record.headers(),
                      Reason.DESERIALIZATION_FAILED,
                      e.getMessage(),
                      PoisonRecords.source(meta.topic(), meta.partition(), meta.offset())),
                  TransformerTopology.deadLetter(topics))));
    }
  }

  private void preprocess(
      ModelTopic model,
      InferenceServiceSpec spec,
      Record<String, byte[]> record,
      RecordMetadata m) {
    InferenceRequest request = requests.deserialize(m.topic(), record.value());
    InferenceRequest transformed;
    try {
      transformed = loader.load(spec.getTransformer()).preprocess(request, asMap(record.headers()));
    } catch (Throwable e) {
      Failures.rethrowIfFatal(e);
      answerError(model, request.getId(), request.getModel(), record.headers(), e, "preprocess");
      deadLetterIfBug(record, m, e);
      return;
    }
    String revision = revision(request, spec);
    String target = topics.predictor(model.namespace(), model.name(), revision);
    Headers headers = new RecordHeaders(record.headers().toArray());
    String replyTo = KaskadeHeaders.get(headers, KaskadeHeaders.REPLY_TO);
    headers.remove(KaskadeHeaders.REPLY_TO);
    KaskadeHeaders.put(headers, TransformerHeaders.FINAL_REPLY_TO, replyTo);
    KaskadeHeaders.put(
        headers,
        TransformerHeaders.RESPONSE_TOPIC,
        topics.predictorResponses(model.namespace(), model.name()));
    KaskadeHeaders.put(headers, KaskadeHeaders.MODEL_VERSION, revision);
    context.forward(
        record
            .withValue(requestWriter.serialize(target, transformed))
            .withHeaders(route(headers, target)));
  }

  private static String revision(InferenceRequest request, InferenceServiceSpec spec) {
    String pinned = request.getModelVersion();
    if (pinned != null
        && (pinned.equals(spec.getPredictor().getRevision())
            || (spec.getPreviousPredictor() != null
                && pinned.equals(spec.getPreviousPredictor().getRevision())))) {
      return pinned;
    }
    return TrafficSplit.revisionFor(request.getId(), spec);
  }

  private void postprocess(
      ModelTopic model,
      InferenceServiceSpec spec,
      Record<String, byte[]> record,
      RecordMetadata m) {
    InferenceResponse response = responses.deserialize(m.topic(), record.value());
    InferenceResponse transformed = response;
    if (spec != null && spec.getTransformer() != null) {
      try {
        transformed =
            loader.load(spec.getTransformer()).postprocess(response, asMap(record.headers()));
      } catch (Throwable e) {
        Failures.rethrowIfFatal(e);
        Headers restored = restore(record.headers());
        answerError(model, response.getId(), response.getModel(), restored, e, "postprocess");
        deadLetterIfBug(record, m, e);
        return;
      }
    }
    answer(model, record.key(), transformed, restore(record.headers()));
  }

  /**
   * A transformer that crashed (anything but a {@link KaskadeException}, which is a refusal the
   * caller already got) also leaves its input on the dead-letter topic, so the failure can be
   * replayed once the transformer is fixed.
   */
  private void deadLetterIfBug(Record<String, byte[]> record, RecordMetadata meta, Throwable e) {
    if (e instanceof KaskadeException) {
      return;
    }
    context.forward(
        record.withHeaders(
            route(
                DeadLetters.headers(
                    record.headers(),
                    Reason.INTERNAL,
                    Failures.describe(e),
                    PoisonRecords.source(meta.topic(), meta.partition(), meta.offset())),
                TransformerTopology.deadLetter(topics))));
  }

  private static Headers restore(Headers original) {
    Headers headers = new RecordHeaders(original.toArray());
    String replyTo = KaskadeHeaders.get(headers, TransformerHeaders.FINAL_REPLY_TO);
    headers.remove(TransformerHeaders.FINAL_REPLY_TO);
    headers.remove(TransformerHeaders.RESPONSE_TOPIC);
    if (replyTo != null) {
      KaskadeHeaders.put(headers, KaskadeHeaders.REPLY_TO, replyTo);
    }
    return headers;
  }

  private void answerError(
      ModelTopic model, String id, String modelName, Headers headers, Throwable e, String step) {
    InferenceError error =
        e instanceof KaskadeException k
            ? k.toInferenceError()
            : new InferenceError(Reason.INTERNAL.name(), "transformer " + step + " failed: " + e);
    if (!(e instanceof KaskadeException)) {
      LOG.error(
          "transformer {} of {}/{} failed for request {}",
          step,
          model.namespace(),
          model.name(),
          id,
          e);
    }
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setId(id)
            .setModel(modelName)
            .setNamespace(model.namespace())
            .setError(error)
            .setCreatedEpochMs(context.currentSystemTimeMs())
            .build();
    answer(model, id, response, headers);
  }

  /** Publishes to responses and, when the caller asked, to its reply-to topic. */
  private void answer(ModelTopic model, String key, InferenceResponse response, Headers headers) {
    String responsesTopic = topics.responses(model.namespace(), model.name());
    Record<String, byte[]> out =
        new Record<>(
            key, responseWriter.serialize(responsesTopic, response), context.currentSystemTimeMs());
    context.forward(out.withHeaders(route(headers, responsesTopic)));
    String replyTo = KaskadeHeaders.get(headers, KaskadeHeaders.REPLY_TO);
    if (topics.isReplyTopic(replyTo)) {
      context.forward(
          out.withValue(responseWriter.serialize(replyTo, response))
              .withHeaders(route(headers, replyTo)));
    }
  }

  private static Headers route(Headers original, String topic) {
    Headers headers = new RecordHeaders(original.toArray());
    KaskadeHeaders.put(headers, TransformerHeaders.ROUTE, topic);
    return headers;
  }

  private static Map<String, String> asMap(Headers headers) {
    Map<String, String> map = new HashMap<>();
    for (Header h : headers) {
      if (h.value() != null) {
        map.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    return Map.copyOf(map);
  }
}
