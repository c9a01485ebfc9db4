package dev.kaskade.schemas.serde;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes specific Avro records in the Confluent wire format, registering the writer schema under
 * {@code <topic>-value} (TopicNameStrategy) the first time a topic is written.
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  static {
    AvroTrust.install();
  }

  private final SchemaRegistryClient registry;
  private final boolean isKey;
  private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
  private final ThreadLocal<ByteArrayOutputStream> buffers =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(256));
  private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();

  public AvroSerializer(SchemaRegistryClient registry) {
    this(registry, false);
  }

  public AvroSerializer(SchemaRegistryClient registry, boolean isKey) {
    this.registry = registry;
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    String subject = Subjects.forTopic(topic, isKey);
    int id = idBySubject.computeIfAbsent(subject, s -> registry.register(s, record.getSchema()));
    ByteArrayOutputStream out = buffers.get();
    out.reset();
    out.write(0);
    out.write(0);
    out.write(0);
    out.write(0);
    out.write(0);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, encoders.get());
      encoders.set(encoder);
      new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationFailure(
          "cannot serialize " + record.getSchema().getFullName() + " for topic " + topic, e);
    }
    byte[] bytes = out.toByteArray();
    WireFormat.writeHeader(bytes, id);
    return bytes;
  }
}
