package dev.kaskade.processors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PairingClockTest {
  private static final long WALL = 1_000_000_000L;

  @Test
  void withNothingReadAndNothingWaitingItIsTheWallClock() {
    PairingClock clock = new PairingClock(-1, WALL);
    assertThat(clock.now(WALL)).isEqualTo(WALL);
    assertThat(clock.now(WALL + 5_000)).isEqualTo(WALL + 5_000);
  }

  @Test
  void whileABacklogIsReadItIsTheRecordsTimeHoweverSlowlyTheyAreRead() {
    PairingClock clock = new PairingClock(-1, WALL);
    long backlog = WALL - 300_000; // five minutes behind
    for (int i = 0; i < 100; i++) {
      // a record of the backlog every 2 s of wall time, 100 ms of record time apart
      clock.onRecord(backlog + i * 100L, WALL + i * 2_000L);
    }
    long wall = WALL + 99 * 2_000L;
    assertThat(clock.now(wall)).isEqualTo(backlog + 9_900);
    assertThat(clock.now(wall + 250)).isEqualTo(backlog + 9_900 + 250);
  }

  @Test
  void withNoRecordsComingTimeGoesOnWithTheWallClock() {
    PairingClock clock = new PairingClock(-1, WALL);
    clock.onRecord(WALL - 3, WALL);
    assertThat(clock.now(WALL + 60_000)).isEqualTo(WALL - 3 + 60_000);
  }

  @Test
  void anOlderTimestampNeverMovesItBack() {
    PairingClock clock = new PairingClock(-1, WALL);
    clock.onRecord(WALL, WALL);
    clock.onRecord(WALL - 600_000, WALL + 10);
    assertThat(clock.now(WALL + 10)).isEqualTo(WALL);
  }

  @Test
  void aTaskThatStartsWithHalvesWaitingCountsOnFromTheNewestOfThem() {
    long newest = WALL - 120_000; // the logger was down for two minutes
    PairingClock clock = new PairingClock(newest, WALL);
    assertThat(clock.now(WALL)).isEqualTo(newest);
    assertThat(clock.now(WALL + 1_000)).isEqualTo(newest + 1_000);
    clock.onRecord(WALL + 1_000, WALL + 1_000); // live traffic again
    assertThat(clock.now(WALL + 1_000)).isEqualTo(WALL + 1_000);
  }
}
