package dev.kaskade.sink;

import static dev.kaskade.sink.TestRecords.T0;
import static dev.kaskade.sink.TestRecords.audit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.chain.AuditFiles;
import dev.kaskade.sink.chain.AuditVerifier;
import dev.kaskade.sink.chain.SinkWriter;
import dev.kaskade.sink.chain.StoreAdmin;
import dev.kaskade.sink.chain.StoreLayout;
import dev.kaskade.sink.chain.StoredRecord;
import dev.kaskade.sink.query.AuditQuery;
import dev.kaskade.sink.store.FileSystemBlobStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkWriterTest {
  static {
    AvroTrust.install();
  }

  @TempDir Path dir;
  private FileSystemBlobStore store;
  private SinkWriter writer;

  @BeforeEach
  void setUp() throws Exception {
    store = new FileSystemBlobStore(dir);
    writer = new SinkWriter(store, "kaskade.audit.payloads");
  }

  /** Offsets 0..n-1 on partition 0 for isvc "iris", one record a second from T0. */
  private void writeIris(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      writer.append(0, i, T0 + i, audit("default", "iris", i, T0 + i * 1000L));
    }
    writer.flush(Map.of(0, (long) n));
  }

  private String onlyDataFile() throws Exception {
    List<String> files =
        store.list("").stream().filter(k -> k.endsWith(StoreLayout.DATA_SUFFIX)).toList();
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  private AuditVerifier.Report verify() throws Exception {
    return AuditVerifier.verify(store, null, null);
  }

  @Test
  void verifiesStoreWrittenInSeveralFlushesAndChains() throws Exception {
    writeIris(5);
    for (int i = 5; i < 8; i++) {
      writer.append(0, i, T0, audit("default", "iris", i, T0 + 3_600_000L + i));
      writer.append(1, i, T0, audit("team-b", "mnist", i, T0 + i));
    }
    writer.flush(Map.of(0, 8L, 1, 8L));

    AuditVerifier.Report report = verify();
    assertThat(report.ok()).as(report.summary()).isTrue();
    assertThat(report.records()).isEqualTo(11);
    assertThat(report.heads()).containsOnlyKeys("default/iris/p0", "team-b/mnist/p1");
    assertThat(store.list("default/iris/date=2026-01-01/hour=01/")).hasSize(2);
  }

  @Test
  void filesOfSeveralChainsPerFlushStayIntactWhileTheirChunksAreReusedFlushAfterFlush()
      throws Exception {
    long next = 0;
    for (int flush = 0; flush < 4; flush++) {
      // two chains per flush, each file spanning several 16 KiB chunks
      for (int i = 0; i < 120; i++, next++) {
        writer.append(0, next, T0, audit("default", "iris", (int) next, T0 + next));
        writer.append(1, next, T0, audit("team-b", "mnist", (int) next, T0 + next));
      }
      writer.flush(Map.of(0, next, 1, next));
    }

    AuditVerifier.Report report = verify();
    assertThat(report.ok()).as(report.summary()).isTrue();
    assertThat(report.records()).isEqualTo(2 * next);
    List<StoredRecord> iris = new ArrayList<>();
    for (String key : store.list("default/iris/")) {
      if (key.endsWith(StoreLayout.DATA_SUFFIX)) {
        iris.addAll(AuditFiles.read(store.get(key)));
      }
    }
    assertThat(iris).extracting(r -> r.audit().getCeId().toString()).doesNotHaveDuplicates();
    assertThat(iris).hasSize((int) next);
  }

  @Test
  void failsAtModifiedRecordWhenAByteOfItsPayloadChanges() throws Exception {
    writeIris(6);
    String file = onlyDataFile();
    byte[] bytes = store.get(file);
    // The input of record 3 is [3.0f, 3.5f]: flip a byte of 3.5f (unique in the file).
    byte[] needle = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(3.5f).array();
    int at = indexOf(bytes, needle);
    bytes[at + 3] ^= 0x01;
    Files.write(dir.resolve(file), bytes);

    AuditVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.broken().file()).isEqualTo(file);
    assertThat(report.broken().offset()).isEqualTo(3);
    assertThat(report.broken().reason()).contains("modified");
  }

  @Test
  void failsAtFollowingRecordWhenARecordIsDeleted() throws Exception {
    writeIris(6);
    String file = onlyDataFile();
    List<StoredRecord> records = new ArrayList<>(AuditFiles.read(store.get(file)));
    records.remove(2);
    Files.write(dir.resolve(file), AuditFiles.write(records));

    AuditVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.broken().offset()).isEqualTo(3);
    assertThat(report.broken().reason()).contains("missing").contains("offset 2");
  }

  @Test
  void failsWhenTwoRecordsAreSwapped() throws Exception {
    writeIris(6);
    String file = onlyDataFile();
    List<StoredRecord> records = new ArrayList<>(AuditFiles.read(store.get(file)));
    StoredRecord four = records.get(4);
    records.set(4, records.get(3));
    records.set(3, four);
    Files.write(dir.resolve(file), AuditFiles.write(records));

    AuditVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.broken().offset()).isEqualTo(3);
    assertThat(report.broken().reason()).contains("reordered");
  }

  @Test
  void failsWhenAWholeFileIsDeleted() throws Exception {
    writeIris(3);
    for (int i = 3; i < 6; i++) {
      writer.append(0, i, T0, audit("default", "iris", i, T0 + i));
    }
    writer.flush(Map.of(0, 6L));
    String first =
        store.list("").stream()
            .filter(k -> k.contains("-00000000000000000000-"))
            .findFirst()
            .orElseThrow();
    store.delete(first);
    store.delete(
        first
            .replace(".avro", ".manifest.json")
            .replace(".manifest.json.manifest.json", ".manifest.json"));

    AuditVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.broken().offset()).isEqualTo(3);
    assertThat(report.broken().reason()).contains("deleted");
  }

  @Test
  void reportsCorruptedFileWhenContainerCannotBeDecoded() throws Exception {
    writeIris(3);
    String file = onlyDataFile();
    Files.write(dir.resolve(file), new byte[] {1, 2, 3});

    AuditVerifier.Report report = verify();
    assertThat(report.broken().file()).isEqualTo(file);
    assertThat(report.broken().offset()).isZero();
    assertThat(report.broken().reason()).contains("corrupted");
  }

  @Test
  void recoverDeletesFilesOfUnfinishedFlushAndRestoresChain() throws Exception {
    writeIris(3);
    for (int i = 3; i < 5; i++) {
      writer.append(0, i, T0, audit("default", "iris", i, T0 + i));
    }
    writer.flush(Map.of()); // files written, checkpoint not: a crash before the checkpoint

    SinkWriter restarted = new SinkWriter(store, "kaskade.audit.payloads");
    assertThat(restarted.recover(0)).isEqualTo(3);
    for (int i = 3; i < 5; i++) {
      restarted.append(0, i, T0, audit("default", "iris", i, T0 + i));
    }
    restarted.flush(Map.of(0, 5L));

    assertThat(AuditQuery.find(store, new AuditQuery.Criteria(null, null, null, null, null, 0)))
        .hasSize(5);
    assertThat(verify().ok()).isTrue();
  }

  @Test
  void verifiesAgainAfterTenantDeletionAndNewData() throws Exception {
    writeIris(3);
    writer.append(0, 3, T0, audit("other", "m", 3, T0));
    writer.flush(Map.of(0, 4L));

    StoreAdmin.deleteNamespace(store, "default", null, T0);
    assertThat(store.list("default/")).isEmpty();
    writer.append(0, 4, T0, audit("default", "iris", 4, T0 + 4));
    writer.flush(Map.of(0, 5L));

    AuditVerifier.Report report = verify();
    assertThat(report.ok()).as(report.summary()).isTrue();
    assertThat(report.records()).isEqualTo(2);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("needle not found");
  }
}
