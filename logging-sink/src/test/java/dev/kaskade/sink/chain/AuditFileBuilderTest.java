package dev.kaskade.sink.chain;

import static dev.kaskade.sink.TestRecords.T0;
import static dev.kaskade.sink.TestRecords.audit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.store.BlobStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditFileBuilderTest {
  static {
    AvroTrust.install();
  }

  private static final String TOPIC = "kaskade.audit.payloads";

  @Test
  void aFileBuiltFromEncodedRecordsReadsBackAsTheRecordsAuditFilesWrites() throws Exception {
    List<StoredRecord> expected = new ArrayList<>();
    byte[] chain = HashChain.GENESIS;
    long prev = -1;
    AuditFileBuilder builder = null;
    // enough records for several Avro blocks (16 KiB each)
    for (int i = 0; i < 300; i++) {
      PayloadAuditRecord a = audit("default", "iris", i, T0 + 10L * i);
      long offset = 40 + 2L * i;
      byte[] encoded = HashChain.encode(a);
      byte[] next = HashChain.next(chain, 1, offset, encoded);
      assertThat(next).isEqualTo(HashChain.next(chain, 1, offset, a));
      if (builder == null) {
        builder = new AuditFileBuilder(new ChunkPool(), T0 / 3_600_000L, offset, prev, chain, next);
      }
      builder.append(TOPIC, 1, offset, prev, T0 + i, next, encoded, a.getCeTime());
      expected.add(new StoredRecord(TOPIC, 1, offset, prev, T0 + i, next, a));
      chain = next;
      prev = offset;
    }

    AuditFileBuilder.Finished file =
        builder.finish("f.avro", TOPIC, new ChainKey("default", "iris", 1));

    List<StoredRecord> read = AuditFiles.read(BlobStore.concat(file.data()));
    assertThat(read).hasSize(300);
    for (int i = 0; i < read.size(); i++) {
      StoredRecord r = read.get(i);
      StoredRecord e = expected.get(i);
      assertThat(r.offset()).isEqualTo(e.offset());
      assertThat(r.prevOffset()).isEqualTo(e.prevOffset());
      assertThat(r.kafkaTimestamp()).isEqualTo(e.kafkaTimestamp());
      assertThat(r.chain()).isEqualTo(e.chain());
      assertThat(r.audit()).isEqualTo(e.audit());
    }
    assertThat(AuditFiles.read(AuditFiles.write(expected)))
        .extracting(StoredRecord::audit)
        .containsExactlyElementsOf(read.stream().map(StoredRecord::audit).toList());
    Manifest m = file.manifest();
    assertThat(m.count()).isEqualTo(300);
    assertThat(m.firstOffset()).isEqualTo(40);
    assertThat(m.lastOffset()).isEqualTo(40 + 2 * 299);
    assertThat(m.prevOffset()).isEqualTo(-1);
    assertThat(m.prevChain()).isEqualTo(HashChain.hex(HashChain.GENESIS));
    assertThat(m.firstChain()).isEqualTo(HashChain.hex(expected.get(0).chain()));
    assertThat(m.lastChain()).isEqualTo(HashChain.hex(chain));
    assertThat(m.minTime()).isEqualTo(T0);
    assertThat(m.maxTime()).isEqualTo(T0 + 10L * 299);
    assertThat(m.sha256())
        .isEqualTo(HashChain.hex(HashChain.sha256(BlobStore.concat(file.data()))));
  }

  @Test
  void aFileBuiltFromChunksTheLastFileReleasedReadsBackIntactAndTheOldOneCannotBeFinishedAgain()
      throws Exception {
    ChunkPool pool = new ChunkPool();
    ChainKey key = new ChainKey("default", "iris", 1);
    AuditFileBuilder first = fileOf(pool, 0, 150);
    first.finish("a.avro", TOPIC, key);
    first.release();
    assertThat(pool.free()).as("the first file's chunks, back in the pool").isGreaterThan(1);

    AuditFileBuilder second = fileOf(pool, 1000, 200);
    AuditFileBuilder.Finished file = second.finish("b.avro", TOPIC, key);

    assertThat(pool.free()).as("the second file took the released chunks").isZero();
    List<StoredRecord> read = AuditFiles.read(BlobStore.concat(file.data()));
    assertThat(read).extracting(StoredRecord::offset).startsWith(1000L).endsWith(1199L);
    assertThat(read).extracting(r -> r.audit().getCeTime()).doesNotHaveDuplicates();
    assertThat(file.manifest().sha256())
        .isEqualTo(HashChain.hex(HashChain.sha256(BlobStore.concat(file.data()))));
    assertThatThrownBy(() -> first.finish("a.avro", TOPIC, key))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("released");
  }

  /** A file of {@code n} chained records from offset {@code first}. */
  private static AuditFileBuilder fileOf(ChunkPool pool, long first, int n) {
    byte[] chain = HashChain.GENESIS;
    AuditFileBuilder builder = null;
    for (int i = 0; i < n; i++) {
      PayloadAuditRecord a = audit("default", "iris", (int) first + i, T0 + first + i);
      byte[] encoded = HashChain.encode(a);
      byte[] next = HashChain.next(chain, 1, first + i, encoded);
      if (builder == null) {
        builder = new AuditFileBuilder(pool, T0 / 3_600_000L, first + i, -1, chain, next);
      }
      builder.append(TOPIC, 1, first + i, first + i - 1, T0, next, encoded, a.getCeTime());
      chain = next;
    }
    return builder;
  }
}
