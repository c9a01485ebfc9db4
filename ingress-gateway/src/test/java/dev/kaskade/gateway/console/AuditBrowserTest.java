package dev.kaskade.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.sink.store.BlobStores;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditBrowserTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  @TempDir Path dir;

  private AuditBrowser browser() {
    return new AuditBrowser(
        () -> BlobStores.open(null, dir, Map.of()),
        dir,
        dir.resolve("replays"),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static Reason reason(Throwable t) {
    return ((KaskadeException) t).reason();
  }

  @Test
  void aSearchWithoutRangeCoversTheLastHourAndOneByIdTheLastWeek() throws Exception {
    JsonObject plain =
        browser().search(new AuditBrowser.Search("default", "iris", null, null, null, null, 10));
    JsonObject byId =
        browser().search(new AuditBrowser.Search("default", null, null, null, "abc", null, 10));

    assertThat(plain.getString("from")).isEqualTo("2026-12-03T11:00:00Z");
    assertThat(plain.getJsonArray("records")).isEmpty();
    assertThat(byId.getString("from")).isEqualTo("2026-11-26T12:00:00Z");
  }

  @Test
  void rangesAreCheckedAndBounded() {
    AuditBrowser b = browser();

    assertThatThrownBy(() -> b.range("-40d", null, AuditBrowser.DEFAULT_RANGE))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.INVALID_ARGUMENT))
        .hasMessageContaining("31 days");
    assertThatThrownBy(() -> b.range("now", "-1h", AuditBrowser.DEFAULT_RANGE))
        .hasMessageContaining("must be before");
    assertThatThrownBy(() -> b.range("yesterday", null, AuditBrowser.DEFAULT_RANGE))
        .isInstanceOf(KaskadeException.class);
    assertThat(b.range("-2h", "-1h", AuditBrowser.DEFAULT_RANGE).from())
        .isEqualTo(NOW.minusSeconds(7200));
  }

  @Test
  void limitsAndOutcomesAreChecked() {
    assertThat(AuditBrowser.limit(null)).isEqualTo(AuditBrowser.DEFAULT_LIMIT);
    assertThatThrownBy(() -> AuditBrowser.limit(AuditBrowser.MAX_LIMIT + 1))
        .hasMessageContaining("between 1 and 200");
    assertThatThrownBy(() -> AuditBrowser.limit(0)).isInstanceOf(KaskadeException.class);
    assertThat(AuditBrowser.outcome("error")).isEqualTo("ERROR");
    assertThat(AuditBrowser.outcome("paired")).isEqualTo("PAIRED");
    assertThat(AuditBrowser.outcome(" ")).isNull();
    assertThatThrownBy(() -> AuditBrowser.outcome("fine")).hasMessageContaining("outcome must be");
  }

  @Test
  void anUnknownRecordIsNotFound() {
    assertThatThrownBy(() -> browser().record("default", "nope", null, null))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.NOT_FOUND))
        .hasMessageContaining("nope");
  }

  @Test
  void anEmptyStoreVerifies() throws Exception {
    JsonObject v = browser().verify(null, null);

    assertThat(v.getBoolean("ok")).isTrue();
    assertThat(v.getLong("records")).isZero();
  }

  @Test
  void replayReportsAreReadNewestFirstAndBadOnesSaySo() throws Exception {
    Path replays = Files.createDirectories(dir.resolve("replays"));
    Files.writeString(replays.resolve("old.json"), "{\"target\":\"iris\",\"total\":3}");
    Files.writeString(replays.resolve("broken.json"), "{not json");
    Files.writeString(replays.resolve("notes.txt"), "ignored");
    Files.setLastModifiedTime(
        replays.resolve("old.json"), java.nio.file.attribute.FileTime.from(NOW.minusSeconds(60)));
    Files.setLastModifiedTime(
        replays.resolve("broken.json"), java.nio.file.attribute.FileTime.from(NOW));

    JsonObject result = browser().replays();

    assertThat(result.getJsonArray("reports")).hasSize(2);
    assertThat(result.getJsonArray("reports").getJsonObject(0).getString("error"))
        .startsWith("unreadable");
    assertThat(
            result
                .getJsonArray("reports")
                .getJsonObject(1)
                .getJsonObject("report")
                .getInteger("total"))
        .isEqualTo(3);
  }

  @Test
  void noReplayFolderMeansNoReports() throws Exception {
    assertThat(browser().replays().getJsonArray("reports")).isEmpty();
  }
}
