package dev.kaskade.sink;

import static dev.kaskade.sink.TestRecords.T0;
import static dev.kaskade.sink.TestRecords.audit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.chain.SinkWriter;
import dev.kaskade.sink.chain.StoredRecord;
import dev.kaskade.sink.query.AuditQuery;
import dev.kaskade.sink.store.FileSystemBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditQueryTest {
  static {
    AvroTrust.install();
  }

  @TempDir Path dir;
  private FileSystemBlobStore store;

  @BeforeEach
  void setUp() throws Exception {
    store = new FileSystemBlobStore(dir.resolve("audit"));
    SinkWriter writer = new SinkWriter(store, "t");
    for (int i = 0; i < 6; i++) {
      // one record every 30 minutes: hours 00, 00, 01, 01, 02, 02
      PayloadAuditRecord byCaller = audit("default", "iris", i, T0 + i * 1_800_000L);
      byCaller.setSubject(i % 2 == 1 ? "alice" : i == 0 ? "bob" : null);
      writer.append(0, i, T0, byCaller);
      writer.append(1, i, T0, audit("team-b", "iris", i, T0 + i * 1_800_000L));
    }
    writer.append(0, 6, T0, audit("default", "mnist", 6, T0));
    writer.flush(Map.of(0, 7L, 1, 6L));
  }

  private List<StoredRecord> find(
      String model, String ns, Instant from, Instant to, String id, int limit) throws Exception {
    return AuditQuery.find(store, new AuditQuery.Criteria(model, ns, from, to, id, limit));
  }

  @Test
  void filtersByModelAndNamespace() throws Exception {
    assertThat(find("iris", "default", null, null, null, 0)).hasSize(6);
    assertThat(find("iris", null, null, null, null, 0)).hasSize(12);
    assertThat(find("mnist", null, null, null, null, 0)).hasSize(1);
    assertThat(find(null, "team-b", null, null, null, 0)).hasSize(6);
  }

  @Test
  void filtersByTimeRangeIdAndLimit() throws Exception {
    Instant from = Instant.ofEpochMilli(T0 + 3_600_000L);
    Instant to = Instant.ofEpochMilli(T0 + 2 * 3_600_000L);
    assertThat(find("iris", "default", from, to, null, 0))
        .extracting(r -> r.audit().getCeId())
        .containsExactly("iris-req-2", "iris-req-3");
    assertThat(find("iris", "default", null, null, "iris-req-4", 0))
        .singleElement()
        .satisfies(r -> assertThat(r.offset()).isEqualTo(4));
    assertThat(find("iris", "default", null, null, null, 2))
        .extracting(r -> r.audit().getCeId())
        .containsExactly("iris-req-0", "iris-req-1");
  }

  @Test
  void filtersByTheCallersSubjectAndNeverMatchesRecordsWithoutOne() throws Exception {
    assertThat(
            AuditQuery.find(
                store, new AuditQuery.Criteria("iris", null, null, null, null, 0, "alice")))
        .extracting(r -> r.audit().getCeId())
        .containsExactly("iris-req-1", "iris-req-3", "iris-req-5");
    assertThat(
            AuditQuery.find(store, new AuditQuery.Criteria(null, null, null, null, null, 0, "bob")))
        .extracting(r -> r.audit().getCeId())
        .containsExactly("iris-req-0");
    assertThat(
            AuditQuery.find(
                store, new AuditQuery.Criteria(null, null, null, null, null, 0, "mallory")))
        .isEmpty();
  }

  @Test
  void rendersDecodedPayloadsAsJsonLinesAndTable() throws Exception {
    List<StoredRecord> records = find("iris", "default", null, null, "iris-req-3", 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AuditQuery.render(records, "jsonl", new PrintStream(out, true, StandardCharsets.UTF_8));
    JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8).trim());
    assertThat(line.get("id").asText()).isEqualTo("iris-req-3");
    assertThat(line.get("subject").asText()).isEqualTo("alice");
    assertThat(line.get("request").get("inputs").get(0).get("data").toString())
        .isEqualTo("[3.0,3.5]");
    assertThat(line.get("response").get("outputs").get(0).get("data").toString())
        .isEqualTo("[6.0]");

    out.reset();
    AuditQuery.render(records, "table", new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("iris-req-3")
        .contains("x=[3.0,3.5] -> y=[6.0]")
        .contains("1 record(s)");
  }
}
