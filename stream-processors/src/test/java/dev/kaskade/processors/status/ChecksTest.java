package dev.kaskade.processors.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChecksTest {
  private final List<String> computed = new ArrayList<>();
  private final Checks<String> checks = new Checks<>();

  private Optional<String> check(String key) {
    computed.add(key);
    return key.startsWith("bad") ? Optional.of("cannot read " + key) : Optional.empty();
  }

  @Test
  void computesAKeyOnceWhileItIsInUseAndDropsItWhenATickDoesNotAskForIt() {
    for (int tick = 0; tick < 3; tick++) {
      assertThat(checks.get("a", this::check)).isEmpty();
      assertThat(checks.get("bad", this::check)).contains("cannot read bad");
      checks.endTick();
    }
    assertThat(computed).containsExactly("a", "bad");

    checks.get("a", this::check);
    checks.endTick();

    assertThat(checks.size()).isEqualTo(1);
  }
}
