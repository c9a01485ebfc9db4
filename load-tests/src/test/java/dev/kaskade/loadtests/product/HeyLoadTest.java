package dev.kaskade.loadtests.product;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reports captured from hey 0.1.4 (Debian) against a running kaskade up. */
class HeyLoadTest {
  private static String report(String name) throws IOException {
    try (InputStream in = HeyLoadTest.class.getResourceAsStream("/hey/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsRateAndPercentilesOfTheAnswers() throws IOException {
    StepResult step = HeyLoad.parse("kaskade", 4, report("ok.txt")).orElseThrow();
    assertThat(step.target()).isEqualTo("kaskade");
    assertThat(step.protocol()).isEqualTo("v2");
    assertThat(step.mode()).isEqualTo(HeyLoad.MODE);
    assertThat(step.load()).isEqualTo(4);
    assertThat(step.count()).isEqualTo(176);
    assertThat(step.errors()).isZero();
    assertThat(step.perSecond()).isCloseTo(176 / 2.0973, org.assertj.core.data.Offset.offset(0.01));
    assertThat(step.p50()).isCloseTo(28.6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(step.p90()).isGreaterThanOrEqualTo(step.p50());
    assertThat(step.p99()).isGreaterThanOrEqualTo(step.p90());
    assertThat(step.max()).isGreaterThanOrEqualTo(step.p99());
  }

  @Test
  void answersOtherThan2xxAreErrors() throws IOException {
    StepResult step = HeyLoad.parse("kaskade", 2, report("not-found.txt")).orElseThrow();
    assertThat(step.count()).isZero();
    assertThat(step.errors()).isEqualTo(20);
  }

  @Test
  void clientErrorsAreErrors() throws IOException {
    StepResult step = HeyLoad.parse("direct", 2, report("refused.txt")).orElseThrow();
    assertThat(step.perSecond()).isZero();
    assertThat(step.errors()).isEqualTo(7819);
  }

  @Test
  void noSummaryNoStep() {
    assertThat(HeyLoad.parse("kaskade", 2, "hey: command failed")).isEmpty();
  }

  @Test
  void commandIsAClosedLoopOfTheGivenConnectionsAndDuration() {
    assertThat(
            HeyLoad.command(
                "http://h:1/v2/models/iris/infer", Path.of("b.json"), 64, Duration.ofSeconds(15)))
        .containsExactly(
            "hey",
            "-z",
            "15s",
            "-c",
            "64",
            "-m",
            "POST",
            "-T",
            "application/json",
            "-D",
            "b.json",
            "http://h:1/v2/models/iris/infer");
  }
}
