package dev.kaskade.workers.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaCoalescerTest {

  @Test
  void firstTextGoesOutAtOnceAndLaterTextIsMergedPerWindow() {
    long[] now = {0};
    List<String> sent = new ArrayList<>();
    List<Integer> tokens = new ArrayList<>();
    DeltaCoalescer c =
        new DeltaCoalescer(
            (t, n) -> {
              sent.add(t);
              tokens.add(n);
            },
            15,
            () -> now[0]);
    c.accept("a", 1);
    now[0] = 5_000_000;
    c.accept("b", 1);
    now[0] = 10_000_000;
    c.accept("c", 1);
    now[0] = 16_000_000;
    c.accept("d", 1);
    c.accept("e", 1);
    c.flush();
    assertThat(sent).containsExactly("a", "bcd", "e");
    assertThat(tokens).containsExactly(1, 3, 1);
    assertThat(c.text()).isEqualTo("abcde");
  }
}
