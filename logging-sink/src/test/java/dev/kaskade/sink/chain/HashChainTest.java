package dev.kaskade.sink.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.TestRecords;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class HashChainTest {
  static {
    AvroTrust.install(); // builder copies of records with nested Kaskade types
  }

  /** The documented definition, computed with fresh objects: sha256(prev ‖ p ‖ offset ‖ avro). */
  private static byte[] byDefinition(
      byte[] previous, int partition, long offset, PayloadAuditRecord r) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(12).putInt(partition).putLong(offset).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new SpecificDatumWriter<>(PayloadAuditRecord.class).write(r, encoder);
    encoder.flush();
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(previous);
    digest.update(out.toByteArray());
    return digest.digest();
  }

  @Test
  void shouldMatchTheDefinitionForSmallAndLargeRecordsInAnyOrder() throws Exception {
    PayloadAuditRecord small = TestRecords.audit("ns", "iris", 1, TestRecords.T0);
    PayloadAuditRecord large =
        PayloadAuditRecord.newBuilder(small)
            .setCeMetadata("{\"x\":\"" + "x".repeat(50_000) + "\"}")
            .build();

    byte[] first = HashChain.next(HashChain.GENESIS, 0, 7, large);
    byte[] second = HashChain.next(first, 0, 8, small); // buffer reused after a larger record

    assertThat(first).isEqualTo(byDefinition(HashChain.GENESIS, 0, 7, large));
    assertThat(second).isEqualTo(byDefinition(first, 0, 8, small));
    assertThat(HashChain.canonical(0, 8, small)).hasSizeLessThan(1000);
  }

  @Test
  void shouldGiveTheSameValueOnAnyThread() throws Exception {
    PayloadAuditRecord r = TestRecords.audit("ns", "iris", 3, TestRecords.T0);
    byte[] here = HashChain.next(HashChain.GENESIS, 1, 42, r);

    byte[] there =
        CompletableFuture.supplyAsync(() -> HashChain.next(HashChain.GENESIS, 1, 42, r)).get();

    assertThat(there).isEqualTo(here);
    assertThat(HashChain.next(HashChain.GENESIS, 1, 43, r)).isNotEqualTo(here);
  }
}
