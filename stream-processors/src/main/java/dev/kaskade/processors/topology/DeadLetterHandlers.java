package dev.kaskade.processors.topology;

import dev.kaskade.processors.kafka.Failures;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.PoisonRecords;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams exception handlers (KIP-1033/KIP-1034) that never stop a task for one record: the
 * source record goes to the dead-letter topic ({@code errors.dead.letter.queue.topic.name}) with
 * the Kaskade headers {@code kaskade-dlq-reason}, {@code -message} and {@code -source}, and
 * processing resumes with the next record. Only retriable production errors are retried, a bounded
 * number of times.
 */
public final class DeadLetterHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

  private DeadLetterHandlers() {}

  /** The dead-letter copy of the record being processed when {@code cause} happened. */
  static List<ProducerRecord<byte[], byte[]>> deadLetter(
      String topic, ErrorHandlerContext ctx, Reason reason, Throwable cause) {
    String source = PoisonRecords.source(ctx.topic(), ctx.partition(), ctx.offset());
    LOG.warn(
        "dead-lettering {} at {}: {}", source, ctx.processorNodeId(), Failures.describe(cause));
    if (topic == null || topic.isEmpty()) {
      return List.of();
    }
    Headers headers = new RecordHeaders(ctx.headers() == null ? null : ctx.headers().toArray());
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_REASON, reason.name());
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_MESSAGE, Failures.describe(cause));
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_SOURCE, source);
    return List.of(
        new ProducerRecord<>(topic, null, ctx.sourceRawKey(), ctx.sourceRawValue(), headers));
  }

  private static String topic(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    return topic == null ? null : topic.toString();
  }

  /** A processor threw: dead-letter the record and go on. */
  public static final class Processing implements ProcessingExceptionHandler {
    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
      topic = topic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
      return Response.resume(deadLetter(topic, ctx, Reason.INTERNAL, e));
    }
  }

  /** A source record could not be deserialized: dead-letter it and go on. */
  public static final class Deserialization implements DeserializationExceptionHandler {
    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
      topic = topic(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
      return Response.resume(deadLetter(topic, ctx, Reason.DESERIALIZATION_FAILED, e));
    }
  }

  /**
   * An output could not be serialized or was refused by the broker (too large, a missing topic such
   * as a bogus reply-to): dead-letter the source record and go on. A retriable error is retried
   * (Streams re-processes the task from its last commit) at most {@value #MAX_RETRIES} times in a
   * row for the same source record, then dead-lettered, so one record cannot stall its task until
   * {@code task.timeout.ms}. A missing topic ({@code UnknownTopicOrPartitionException}, or a
   * metadata timeout naming a topic "not present in metadata") is dead-lettered at once: retrying
   * will not create it.
   */
  public static final class Production implements ProductionExceptionHandler {
    /** Consecutive retries of one source record before it is dead-lettered. */
    static final int MAX_RETRIES = 3;

    private String topic;
    private String retriedSource;
    private int retries;

    @Override
    public void configure(Map<String, ?> configs) {
      topic = topic(configs);
    }

    @Override
    public synchronized Response handleError(
        ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> record, Exception e) {
      if (e instanceof RetriableException && !missingTopic(e)) {
        String source = PoisonRecords.source(ctx.topic(), ctx.partition(), ctx.offset());
        retries = source.equals(retriedSource) ? retries + 1 : 1;
        retriedSource = source;
        if (retries <= MAX_RETRIES) {
          return Response.retry();
        }
      }
      retriedSource = null;
      return Response.resume(deadLetter(topic, ctx, Reason.INTERNAL, e));
    }

    private static boolean missingTopic(Exception e) {
      return e instanceof UnknownTopicOrPartitionException
          || (e instanceof TimeoutException
              && e.getMessage() != null
              && e.getMessage().contains("not present in metadata"));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
        ErrorHandlerContext ctx,
        ProducerRecord record,
        Exception e,
        SerializationExceptionOrigin origin) {
      return Response.resume(deadLetter(topic, ctx, Reason.INTERNAL, e));
    }
  }
}
