package dev.kaskade.workers.generation.tinylm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenPacerTest {
  static final long MS = 1_000_000;

  /** A clock that moves only when told to, and a sleeper that moves it. */
  static final class FakeTime {
    long now = 1_000 * MS;
    final List<Long> sleeps = new ArrayList<>();

    TokenPacer pacer(long intervalNanos) {
      return new TokenPacer(
          intervalNanos,
          () -> now,
          nanos -> {
            sleeps.add(nanos);
            now += nanos;
          });
    }
  }

  @Test
  void noIntervalNeitherReadsTheClockNorSleeps() throws Exception {
    TokenPacer pacer =
        new TokenPacer(
            0,
            () -> {
              throw new AssertionError("clock read");
            },
            nanos -> {
              throw new AssertionError("slept");
            });
    assertThat(pacer.awaitStepEnd(pacer.start())).isZero();
    assertThat(TokenPacer.of(Duration.ZERO)).isSameAs(TokenPacer.NONE);
  }

  @Test
  void aFastStepIsStretchedToTheInterval() throws Exception {
    FakeTime time = new FakeTime();
    TokenPacer pacer = time.pacer(20 * MS);
    long start = pacer.start();
    time.now += 3 * MS; // the model computed the token in 3 ms
    long next = pacer.awaitStepEnd(start);
    assertThat(time.sleeps).containsExactly(17 * MS);
    assertThat(next).isEqualTo(start + 20 * MS);
  }

  @Test
  void aSlowStepIsNotMadeUpWithABurst() throws Exception {
    FakeTime time = new FakeTime();
    TokenPacer pacer = time.pacer(20 * MS);
    long start = pacer.start();
    time.now += 50 * MS; // a step that took longer than the interval (a busy CPU)
    long next = pacer.awaitStepEnd(start);
    assertThat(time.sleeps).isEmpty();
    time.now += 1 * MS;
    pacer.awaitStepEnd(next);
    assertThat(time.sleeps)
        .as("the next step still lasts a whole interval")
        .containsExactly(19 * MS);
  }

  @Test
  void tokensComeAtTheIntervalOverALongRun() throws Exception {
    FakeTime time = new FakeTime();
    TokenPacer pacer = time.pacer(20 * MS);
    long step = pacer.start();
    long first = step;
    for (int i = 0; i < 50; i++) {
      time.now += MS / 2;
      step = pacer.awaitStepEnd(step);
    }
    assertThat(step - first).isEqualTo(50 * 20 * MS);
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(() -> new TokenPacer(-1, System::nanoTime, nanos -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
