package dev.kaskade.schemas.serde;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format records into a specific Avro class, resolving the writer schema by id
 * so that records written with older or newer compatible schemas decode. Failures throw {@link
 * SerializationFailure} naming the topic; consumers add partition and offset (see {@link
 * PoisonRecords}).
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  static {
    AvroTrust.install();
  }

  private final SchemaRegistryClient registry;
  private final Schema readerSchema;
  private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  public AvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
    this.registry = registry;
    this.readerSchema = SpecificData.get().getSchema(type);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < WireFormat.HEADER_SIZE) {
      throw new SerializationFailure(
          "record on topic "
              + topic
              + " is "
              + data.length
              + " bytes, shorter than the wire header");
    }
    if (data[0] != WireFormat.MAGIC_BYTE) {
      throw new SerializationFailure(
          "record on topic " + topic + " has unknown magic byte " + data[0] + " (expected 0)");
    }
    int id = WireFormat.schemaId(data);
    SpecificDatumReader<T> reader;
    try {
      reader = readersById.computeIfAbsent(id, this::readerFor);
    } catch (SchemaRegistryException e) {
      if (!e.isSchemaNotFound()) {
        throw e; // the registry is unreachable or failing: not a poison record, retry later
      }
      throw new SerializationFailure(
          "record on topic " + topic + " has unknown schema id " + id + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new SerializationFailure(
          "record on topic " + topic + " has unknown schema id " + id + ": " + e.getMessage(), e);
    }
    try {
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(
                  data,
                  WireFormat.HEADER_SIZE,
                  data.length - WireFormat.HEADER_SIZE,
                  decoders.get());
      decoders.set(decoder);
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationFailure(
          "record on topic " + topic + " with schema id " + id + " is not valid Avro: " + e, e);
    }
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    return deserialize(topic, data);
  }

  private SpecificDatumReader<T> readerFor(int id) {
    Schema writer = registry.getById(id);
    return new SpecificDatumReader<>(writer, readerSchema);
  }
}
