package dev.kaskade.processors.topology;

import dev.kaskade.processors.transform.TransformerHeaders;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * Dynamic routing for sinks: a processor names the destination in the internal {@code
 * kaskade-route} header, the sink's {@link #extractor()} reads it, and {@link #valueSerde()}
 * removes it while serializing (Streams hands the record's headers to the serializer before
 * producing), so the header never reaches the output topic.
 */
public final class RouteHeader {
  private RouteHeader() {}

  /** Sets the destination of a record leaving a processor. */
  public static Headers route(Headers headers, String topic) {
    KaskadeHeaders.put(headers, TransformerHeaders.ROUTE, topic);
    return headers;
  }

  public static TopicNameExtractor<String, byte[]> extractor() {
    return (key, value, context) -> KaskadeHeaders.get(context.headers(), TransformerHeaders.ROUTE);
  }

  /** Byte-array serde whose serializer strips the route header. */
  public static Serde<byte[]> valueSerde() {
    Serializer<byte[]> serializer =
        new Serializer<>() {
          @Override
          public byte[] serialize(String topic, byte[] data) {
            return data;
          }

          @Override
          public byte[] serialize(String topic, Headers headers, byte[] data) {
            if (headers != null) {
              headers.remove(TransformerHeaders.ROUTE);
            }
            return data;
          }
        };
    return Serdes.serdeFrom(serializer, Serdes.ByteArray().deserializer());
  }
}
