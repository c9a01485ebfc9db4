package dev.kaskade.sink;

import static dev.kaskade.sink.TestRecords.T0;
import static dev.kaskade.sink.TestRecords.audit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.sink.chain.SinkWriter;
import dev.kaskade.sink.chain.StoreLayout;
import dev.kaskade.sink.store.FileSystemBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandsTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

  private AuditCommands.StoreOptions store() {
    return new AuditCommands.StoreOptions(dir, null, Map.of());
  }

  private FileSystemBlobStore writeThree() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(dir.resolve("audit"));
    SinkWriter writer = new SinkWriter(store, "t");
    for (int i = 0; i < 3; i++) {
      writer.append(0, i, T0, audit("default", "iris", i, T0 + i));
    }
    writer.flush(Map.of(0, 3L));
    return store;
  }

  @Test
  void verifyExitsZeroAndPrintsChainHeadsWhenStoreIsIntact() throws Exception {
    writeThree();
    int code =
        AuditCommands.verify(
            store(),
            "-1h",
            "now",
            print,
            Clock.fixed(Instant.ofEpochMilli(T0 + 60_000), ZoneOffset.UTC));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("OK: 3 records")
        .contains("head default/iris/p0");
  }

  @Test
  void verifyExitsNonZeroNamingFileAndOffsetWhenStoreIsTampered() throws Exception {
    FileSystemBlobStore store = writeThree();
    String manifest =
        store.list("").stream()
            .filter(k -> k.endsWith(StoreLayout.MANIFEST_SUFFIX))
            .findFirst()
            .orElseThrow();
    Files.delete(dir.resolve("audit").resolve(StoreLayout.dataKeyOf(manifest)));

    int code = AuditCommands.verify(store(), null, null, print);

    assertThat(code).isEqualTo(AuditCommands.FAILED);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("BROKEN")
        .contains(StoreLayout.dataKeyOf(manifest))
        .contains("at offset 0")
        .contains("missing");
  }

  @Test
  void queryRejectsUnknownOutputFormatAndBadTimes() throws Exception {
    writeThree();
    assertThat(
            AuditCommands.query(
                store(),
                new AuditCommands.QueryOptions("iris", null, null, null, null, null, 0, "xml"),
                print))
        .isEqualTo(AuditCommands.USAGE);
    assertThat(
            AuditCommands.query(
                store(),
                new AuditCommands.QueryOptions(
                    "iris", null, "yesterday", null, null, null, 0, "json"),
                print))
        .isEqualTo(AuditCommands.USAGE);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("ISO-8601");
  }
}
