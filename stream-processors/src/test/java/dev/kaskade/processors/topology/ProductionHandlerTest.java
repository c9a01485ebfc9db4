package dev.kaskade.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class ProductionHandlerTest {
  private static final String DLQ = "kaskade.deadletter.stream-processors";
  private static final ProducerRecord<byte[], byte[]> OUT =
      new ProducerRecord<>("kaskade.ns.m.responses", new byte[] {1});

  private final DeadLetterHandlers.Production handler = new DeadLetterHandlers.Production();

  private static ErrorHandlerContext at(long offset) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return "in";
      }

      @Override
      public int partition() {
        return 0;
      }

      @Override
      public long offset() {
        return offset;
      }

      @Override
      public Headers headers() {
        return new RecordHeaders();
      }

      @Override
      public String processorNodeId() {
        return "sink";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(0, 0);
      }

      @Override
      public long timestamp() {
        return 0;
      }

      @Override
      public byte[] sourceRawKey() {
        return new byte[] {7};
      }

      @Override
      public byte[] sourceRawValue() {
        return new byte[] {8};
      }
    };
  }

  ProductionHandlerTest() {
    handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ));
  }

  @Test
  void aMissingTopicIsDeadLetteredAtOnceNotRetried() {
    Response unknown =
        handler.handleError(at(1), OUT, new UnknownTopicOrPartitionException("no topic"));
    Response metadata =
        handler.handleError(
            at(2),
            OUT,
            new TimeoutException("Topic bogus not present in metadata after 60000 ms."));

    for (Response r : new Response[] {unknown, metadata}) {
      assertThat(r.result()).isEqualTo(Result.RESUME);
      assertThat(r.deadLetterQueueRecords()).extracting(ProducerRecord::topic).containsExactly(DLQ);
    }
  }

  @Test
  void aRetriableErrorIsRetriedABoundedNumberOfTimesThenDeadLettered() {
    for (int i = 0; i < DeadLetterHandlers.Production.MAX_RETRIES; i++) {
      assertThat(handler.handleError(at(5), OUT, new NotEnoughReplicasException("isr")).result())
          .isEqualTo(Result.RETRY);
    }
    Response last = handler.handleError(at(5), OUT, new NotEnoughReplicasException("isr"));

    assertThat(last.result()).isEqualTo(Result.RESUME);
    assertThat(last.deadLetterQueueRecords()).hasSize(1);
    assertThat(handler.handleError(at(6), OUT, new NotEnoughReplicasException("isr")).result())
        .as("the next record gets its own retries")
        .isEqualTo(Result.RETRY);
  }
}
