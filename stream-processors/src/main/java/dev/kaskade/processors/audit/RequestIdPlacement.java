package dev.kaskade.processors.audit;

import dev.kaskade.schemas.kafka.KaskadeHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Sends each record to pairing where its request id already puts it, and everything else through
 * the re-keying topic first. Requests and responses are keyed by request id and produced with the
 * default partitioner, so both halves of a pair share a partition number; a multi-model revision's
 * requests, though, are placed by model name (so a model stays on the replicas holding it), and
 * such a copy would wait in another task for a response that never comes there. Those copies go to
 * {@code Topics#auditByRequestId()} keyed by request id, with their original topic in a header.
 */
final class RequestIdPlacement implements Processor<String, byte[], String, byte[]> {
  /** Header carrying the topic a re-keyed record was first read from. */
  static final String SOURCE_TOPIC = "kaskade-audit-source-topic";

  private final int partitions;
  private ProcessorContext<String, byte[]> context;

  RequestIdPlacement(int partitions) {
    this.partitions = partitions;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    String id = KaskadeHeaders.get(record.headers(), KaskadeHeaders.REQUEST_ID);
    if (id == null) {
      id = record.key();
    }
    if (id == null || meta.partition() == partitionOf(id, partitions)) {
      context.forward(record, PayloadLoggerTopology.PAIRING);
      return;
    }
    Headers headers = new RecordHeaders(record.headers().toArray());
    KaskadeHeaders.put(headers, SOURCE_TOPIC, meta.topic());
    context.forward(
        record.withKey(id).withHeaders(headers), PayloadLoggerTopology.BY_REQUEST_ID_SINK);
  }

  /** The partition Kafka's default partitioner gives a record keyed by this id. */
  static int partitionOf(String id, int partitions) {
    return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
