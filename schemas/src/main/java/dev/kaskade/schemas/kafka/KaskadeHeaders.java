package dev.kaskade.schemas.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka header names carried by data-plane records, so that routing never needs to decode a
 * payload. Values are UTF-8 strings.
 */
public final class KaskadeHeaders {
  /** The request id (also the record key). */
  public static final String REQUEST_ID = "kaskade-request-id";

  /** The model (InferenceService or TrainedModel) the record is for. */
  public static final String MODEL = "kaskade-model";

  /** The namespace of that model. */
  public static final String NAMESPACE = "kaskade-namespace";

  /** The predictor revision that produced a response, or that a request is pinned to. */
  public static final String MODEL_VERSION = "kaskade-model-version";

  /** Topic to which a synchronous caller wants its reply produced, in addition to responses. */
  public static final String REPLY_TO = "kaskade-reply-to";

  /** Opaque id the caller matches its reply on. */
  public static final String CORRELATION_ID = "kaskade-correlation-id";

  /** Epoch milliseconds after which nobody waits for the answer. */
  public static final String DEADLINE = "kaskade-deadline-ms";

  /** The wire protocol the caller used (v1, v2, grpc-v2, kafka). */
  public static final String PROTOCOL = "kaskade-protocol";

  /** The authenticated caller (the gateway's verified JWT {@code sub}); absent without auth. */
  public static final String SUBJECT = "kaskade-subject";

  /** W3C trace context. */
  public static final String TRACEPARENT = "traceparent";

  /**
   * Set by a transformer on the predictor hop: the worker answers to this topic (the isvc's
   * predictor-responses) instead of the responses topic, so post-processing runs first.
   */
  public static final String RESPONSE_TOPIC = "kaskade-response-topic";

  /** Set by a transformer: the caller's reply-to, parked until post-processing answers. */
  public static final String FINAL_REPLY_TO = "kaskade-final-reply-to";

  /** Marks a mirrored copy of a request sent to a shadow revision ("true"). */
  public static final String SHADOW = "kaskade-shadow";

  /**
   * Marks requests the platform makes up itself, not callers' inferences (the explainer's perturbed
   * rows; the value names the maker): drift and outlier monitoring skip them.
   */
  public static final String SYNTHETIC = "kaskade-synthetic";

  /** Marks replayed traffic: the id of the recorded request. */
  public static final String REPLAY_OF = "kaskade-replay-of";

  /**
   * Set by a gateway on a streamed OpenAI request: the topic ({@code
   * <prefix>.gateway.<instance>.chunks}) that receives the GenerationEvents of the stream.
   */
  public static final String STREAM_TO = "kaskade-stream-to";

  /** Dead letters: the reason code (see {@code Reason}). */
  public static final String DLQ_REASON = "kaskade-dlq-reason";

  /** Dead letters: a human-readable message. */
  public static final String DLQ_MESSAGE = "kaskade-dlq-message";

  /** Dead letters: topic-partition@offset of the original record. */
  public static final String DLQ_SOURCE = "kaskade-dlq-source";

  private KaskadeHeaders() {}

  /** The last value of a header as a string, or null when absent. */
  public static String get(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Replaces a header with a string value. */
  public static void put(Headers headers, String name, String value) {
    headers.remove(name);
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
