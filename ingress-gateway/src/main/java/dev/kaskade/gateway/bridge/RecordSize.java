package dev.kaskade.gateway.bridge;

import dev.kaskade.gateway.GatewayConfig;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The size of a request record as the gateway checks it against {@code gateway.max.record.bytes}
 * before producing, so a request too large for Kafka is a 413 naming Kaskade's setting instead of a
 * 503 carrying the producer's {@code max.request.size} text. Pure.
 */
final class RecordSize {
  private RecordSize() {}

  /** Key, value and header bytes (Kafka's framing is covered by the setting's headroom). */
  static long of(ProducerRecord<String, byte[]> record) {
    long size = record.value() == null ? 0 : record.value().length;
    if (record.key() != null) {
      size += record.key().getBytes(StandardCharsets.UTF_8).length;
    }
    for (Header h : record.headers()) {
      size += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return size;
  }

  /** 413 naming the setting; {@code size} is -1 when only Kafka knows it. */
  static KaskadeException tooLarge(long size, int limit) {
    String what = size >= 0 ? size + " bytes" : "more";
    return new KaskadeException(
        Reason.PAYLOAD_TOO_LARGE,
        "The request is %s once encoded for Kafka, over the limit of %d bytes (setting %s)."
            .formatted(what, limit, GatewayConfig.MAX_RECORD_BYTES));
  }
}
