package dev.kaskade.workers.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {

  @Test
  void textBeforeAStopStringSplitAcrossChunksIsKeptAndTheRestDropped() {
    StopStrings stops = new StopStrings(List.of("END"));
    assertThat(stops.push("hello E")).isEqualTo("hello ");
    assertThat(stops.push("N")).isEmpty();
    assertThat(stops.push("D and more")).isEmpty();
    assertThat(stops.stopped()).isTrue();
    assertThat(stops.flush()).isEmpty();
  }

  @Test
  void heldBackTextThatTurnsOutNotToBeAStopIsReleased() {
    StopStrings stops = new StopStrings(List.of("END"));
    assertThat(stops.push("E")).isEmpty();
    assertThat(stops.push("x")).isEqualTo("Ex");
    assertThat(stops.push("EN")).isEmpty();
    assertThat(stops.flush()).isEqualTo("EN");
    assertThat(stops.stopped()).isFalse();
  }

  @Test
  void theEarliestOfSeveralStopsWins() {
    StopStrings stops = new StopStrings(List.of("c", "\n"));
    assertThat(stops.push("ab\ncd")).isEqualTo("ab");
  }

  @Test
  void withoutStopsEverythingPassesAtOnce() {
    StopStrings stops = new StopStrings(List.of());
    assertThat(stops.push("abc")).isEqualTo("abc");
  }
}
