package dev.kaskade.sink.chain;

import dev.kaskade.events.PayloadAuditRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The tamper-evidence chain: {@code chain_i = SHA-256(chain_{i-1} ‖ canonical_i)} with {@code
 * chain_0} 32 zero bytes, where the canonical bytes of a record are its partition (4 bytes BE), its
 * offset (8 bytes BE) and the Avro binary encoding of its PayloadAuditRecord under the record's own
 * schema (deterministic: Avro binary has no field order or whitespace freedom).
 */
public final class HashChain {
  public static final byte[] GENESIS = new byte[32];
  private static final HexFormat HEX = HexFormat.of();

  private HashChain() {}

  public static byte[] next(byte[] previous, int partition, long offset, PayloadAuditRecord audit) {
    Scratch scratch = SCRATCH.get();
    scratch.encode(audit);
    return scratch.hash(previous, partition, offset, scratch.bytes.array(), scratch.bytes.size());
  }

  /** The next chain value of a record given as {@link #encode its Avro binary encoding}. */
  public static byte[] next(byte[] previous, int partition, long offset, byte[] encodedAudit) {
    return SCRATCH.get().hash(previous, partition, offset, encodedAudit, encodedAudit.length);
  }

  /**
   * The Avro binary encoding of a record under its own schema: the part of its canonical bytes
   * after partition and offset, and the {@code audit} field of a stored record as written.
   */
  public static byte[] encode(PayloadAuditRecord audit) {
    Scratch scratch = SCRATCH.get();
    scratch.encode(audit);
    return Arrays.copyOf(scratch.bytes.array(), scratch.bytes.size());
  }

  public static byte[] canonical(int partition, long offset, PayloadAuditRecord audit) {
    byte[] encoded = encode(audit);
    return ByteBuffer.allocate(PREFIX + encoded.length)
        .putInt(partition)
        .putLong(offset)
        .put(encoded)
        .array();
  }

  private static final int PREFIX = Integer.BYTES + Long.BYTES;

  /**
   * Per-thread encoder state: the sink hashes every record it stores, and building a datum writer,
   * a digest and a fresh buffer for each one cost more than the hashing.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    private final SpecificDatumWriter<PayloadAuditRecord> writer =
        new SpecificDatumWriter<>(PayloadAuditRecord.class);
    private final ReadableBuffer bytes = new ReadableBuffer();
    private final MessageDigest digest = sha256();
    private final ByteBuffer prefix = ByteBuffer.allocate(PREFIX);
    private BinaryEncoder encoder;

    void encode(PayloadAuditRecord audit) {
      bytes.reset();
      // buffered: the direct encoder writes byte by byte into the synchronized stream
      encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
      try {
        writer.write(audit, encoder);
        encoder.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // in-memory stream
      }
    }

    byte[] hash(byte[] previous, int partition, long offset, byte[] encoded, int length) {
      prefix.clear().putInt(partition).putLong(offset);
      digest.update(previous);
      digest.update(prefix.array());
      digest.update(encoded, 0, length);
      return digest.digest();
    }
  }

  public static String hex(byte[] value) {
    return HEX.formatHex(value);
  }

  public static byte[] fromHex(String value) {
    return HEX.parseHex(value);
  }

  public static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }

  /** The SHA-256 of the parts' remaining bytes in order, as of one array holding them all. */
  public static byte[] sha256(List<ByteBuffer> parts) {
    MessageDigest digest = sha256();
    for (ByteBuffer part : parts) {
      digest.update(part.duplicate());
    }
    return digest.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
