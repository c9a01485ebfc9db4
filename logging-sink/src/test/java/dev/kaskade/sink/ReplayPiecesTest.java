package dev.kaskade.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.sink.query.TimeSpec;
import dev.kaskade.sink.replay.AuditReplayer;
import dev.kaskade.sink.replay.OutputComparison;
import dev.kaskade.sink.replay.OutputComparison.Verdict;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayPiecesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void comparesOutputsAgainstTolerance() {
    InferenceResponse recorded = TestRecords.response("a", "m", "ns", 1.0f);
    assertThat(
            OutputComparison.compare(recorded, TestRecords.response("b", "m", "ns", 1.0f), 0)
                .verdict())
        .isEqualTo(Verdict.IDENTICAL);
    assertThat(
            OutputComparison.compare(recorded, TestRecords.response("b", "m", "ns", 1.25f), 0.5)
                .verdict())
        .isEqualTo(Verdict.WITHIN_TOLERANCE);
    OutputComparison.Result different =
        OutputComparison.compare(recorded, TestRecords.response("b", "m", "ns", 3f), 0.5);
    assertThat(different.verdict()).isEqualTo(Verdict.DIFFERENT);
    assertThat(different.maxAbsDiff()).isEqualTo(2.0);
  }

  @Test
  void countsErrorAnswersAndTimeoutsAsErrors() {
    InferenceResponse recorded = TestRecords.response("a", "m", "ns", 1.0f);
    InferenceResponse failed = TestRecords.response("b", "m", "ns", 1.0f);
    failed.setError(new InferenceError("UNAVAILABLE", "down"));
    assertThat(OutputComparison.compare(recorded, failed, 0).verdict()).isEqualTo(Verdict.ERROR);
    assertThat(OutputComparison.compare(recorded, null, 0).verdict()).isEqualTo(Verdict.ERROR);
  }

  @Test
  void parsesRelativeAndAbsoluteTimes() {
    assertThat(TimeSpec.parse("-1h", NOW)).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
    assertThat(TimeSpec.parse("-30m", NOW)).isEqualTo(Instant.parse("2026-03-01T11:30:00Z"));
    assertThat(TimeSpec.parse("-2d", NOW)).isEqualTo(Instant.parse("2026-02-27T12:00:00Z"));
    assertThat(TimeSpec.parse("2026-01-01T00:00:00Z", NOW))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(TimeSpec.parse(null, NOW)).isNull();
  }

  @Test
  void parsesTargetWithOptionalRevision() {
    assertThat(AuditReplayer.Target.parse("iris"))
        .isEqualTo(new AuditReplayer.Target("iris", null));
    assertThat(AuditReplayer.Target.parse("iris:iris-predictor-1234abcd"))
        .isEqualTo(new AuditReplayer.Target("iris", "iris-predictor-1234abcd"));
  }
}
