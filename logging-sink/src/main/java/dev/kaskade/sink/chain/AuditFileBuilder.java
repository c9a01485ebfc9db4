package dev.kaskade.sink.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * One audit file (one chain, one UTC hour) being written as its records arrive: each record is
 * appended already encoded, so between flushes the sink holds a file's bytes rather than decoded
 * records (docs/performance.md, change 13), in pooled chunks rather than one growing array (change
 * 15). The bytes are those {@link AuditFiles#write} writes for the same records, and {@link
 * AuditFiles#read} reads them back.
 */
final class AuditFileBuilder {
  private static final int SYNC_INTERVAL = 16 * 1024;
  private final ChunkedOutput file;
  private final DataFileWriter<GenericRecord> writer;
  private final ReadableBuffer datum = new ReadableBuffer();
  private final long hour;
  private final long firstOffset;
  private final long firstPrevOffset;
  private final byte[] prevChain;
  private final byte[] firstChain;
  private byte[] lastChain;
  private long lastOffset;
  private int count;
  private long minTime = Long.MAX_VALUE;
  private long maxTime = Long.MIN_VALUE;
  private BinaryEncoder encoder;
  private boolean released;

  /**
   * @param pool where the file's chunks come from and go back to ({@link #release})
   * @param hour the UTC hour (epoch hours) of the records this file takes
   * @param firstOffset offset of its first record
   * @param firstPrevOffset offset of the chain's record before that, -1 for none
   * @param prevChain the chain value before its first record
   * @param firstChain the chain value of its first record
   */
  AuditFileBuilder(
      ChunkPool pool,
      long hour,
      long firstOffset,
      long firstPrevOffset,
      byte[] prevChain,
      byte[] firstChain) {
    this.file = new ChunkedOutput(pool);
    this.hour = hour;
    this.firstOffset = firstOffset;
    this.firstPrevOffset = firstPrevOffset;
    this.prevChain = prevChain;
    this.firstChain = firstChain;
    this.writer = new DataFileWriter<>(new GenericDatumWriter<>(AuditFiles.SCHEMA));
    // Avro's 64 KB default block would give every open file a 80 KB buffer, per chain
    writer.setSyncInterval(SYNC_INTERVAL);
    try {
      writer.create(AuditFiles.SCHEMA, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory stream
    }
  }

  long hour() {
    return hour;
  }

  int count() {
    return count;
  }

  /**
   * Appends one stored record whose {@code audit} field is given as its Avro binary encoding
   * ({@link HashChain#encode}).
   */
  void append(
      String topic,
      int partition,
      long offset,
      long prevOffset,
      long kafkaTimestamp,
      byte[] chain,
      byte[] encodedAudit,
      long ceTime) {
    datum.reset();
    encoder = EncoderFactory.get().binaryEncoder(datum, encoder);
    try {
      // StoredAuditRecord's fields in schema order; the audit record's encoding ends it
      encoder.writeString(topic);
      encoder.writeInt(partition);
      encoder.writeLong(offset);
      encoder.writeLong(prevOffset);
      encoder.writeLong(kafkaTimestamp);
      encoder.writeBytes(chain);
      encoder.writeFixed(encodedAudit);
      encoder.flush();
      writer.appendEncoded(ByteBuffer.wrap(datum.array(), 0, datum.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams
    }
    lastChain = chain;
    lastOffset = offset;
    count++;
    minTime = Math.min(minTime, ceTime);
    maxTime = Math.max(maxTime, ceTime);
  }

  /**
   * Ends the file: its bytes, and the manifest that describes them as {@code dataKey}. The bytes
   * are views of the pooled chunks, valid until {@link #release}.
   */
  Finished finish(String dataKey, String topic, ChainKey key) {
    if (released) {
      throw new IllegalStateException("audit file " + dataKey + " was stored and released");
    }
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<ByteBuffer> data = file.parts();
    Manifest manifest =
        new Manifest(
            dataKey,
            topic,
            key.partition(),
            key.namespace(),
            key.isvc(),
            firstOffset,
            lastOffset,
            count,
            firstPrevOffset,
            HashChain.hex(prevChain),
            HashChain.hex(firstChain),
            HashChain.hex(lastChain),
            minTime,
            maxTime,
            HashChain.hex(HashChain.sha256(data)));
    return new Finished(data, manifest);
  }

  long firstOffset() {
    return firstOffset;
  }

  long lastOffset() {
    return lastOffset;
  }

  /** Gives the file's chunks back to the pool, once its bytes are stored or dropped. */
  void release() {
    released = true;
    file.release();
  }

  /** A finished file's bytes (views of pooled chunks, in order) and manifest. */
  record Finished(List<ByteBuffer> data, Manifest manifest) {}
}
