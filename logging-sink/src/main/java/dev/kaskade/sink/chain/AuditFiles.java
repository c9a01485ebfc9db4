package dev.kaskade.sink.chain;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.serde.AvroTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro object container files of {@code dev.kaskade.sink.StoredAuditRecord} (uncompressed, so that
 * a flipped byte is pinned to one record rather than a whole compressed block). Any Avro tool can
 * read them: the schema is in the file header.
 */
public final class AuditFiles {
  public static final Schema SCHEMA =
      SchemaBuilder.record("StoredAuditRecord")
          .namespace("dev.kaskade.sink")
          .fields()
          .requiredString("topic")
          .requiredInt("partition")
          .requiredLong("offset")
          .requiredLong("prev_offset")
          .requiredLong("kafka_timestamp")
          .requiredBytes("chain")
          .name("audit")
          .type(PayloadAuditRecord.getClassSchema())
          .noDefault()
          .endRecord();

  static {
    AvroTrust.install();
  }

  private AuditFiles() {}

  public static byte[] write(List<StoredRecord> records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + records.size() * 512);
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new SpecificDatumWriter<GenericRecord>(SCHEMA))) {
      writer.create(SCHEMA, out);
      for (StoredRecord r : records) {
        GenericRecord g = new GenericData.Record(SCHEMA);
        g.put("topic", r.topic());
        g.put("partition", r.partition());
        g.put("offset", r.offset());
        g.put("prev_offset", r.prevOffset());
        g.put("kafka_timestamp", r.kafkaTimestamp());
        g.put("chain", ByteBuffer.wrap(r.chain()));
        g.put("audit", r.audit());
        writer.append(g);
      }
    }
    return out.toByteArray();
  }

  /** Every record of a file; throws IOException when the file is not a readable container. */
  public static List<StoredRecord> read(byte[] file) throws IOException {
    List<StoredRecord> records = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(
            new SeekableByteArrayInput(file), new SpecificDatumReader<GenericRecord>(SCHEMA))) {
      while (reader.hasNext()) {
        GenericRecord g = reader.next();
        ByteBuffer chain = (ByteBuffer) g.get("chain");
        byte[] chainBytes = new byte[chain.remaining()];
        chain.get(chainBytes);
        records.add(
            new StoredRecord(
                g.get("topic").toString(),
                (Integer) g.get("partition"),
                (Long) g.get("offset"),
                (Long) g.get("prev_offset"),
                (Long) g.get("kafka_timestamp"),
                chainBytes,
                (PayloadAuditRecord) g.get("audit")));
      }
    } catch (RuntimeException e) {
      throw new IOException("not a readable audit file: " + e.getMessage(), e);
    }
    return records;
  }
}
