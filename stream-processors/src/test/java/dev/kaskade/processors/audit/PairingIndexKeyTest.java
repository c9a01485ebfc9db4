package dev.kaskade.processors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairingIndexKeyTest {

  @Test
  void indexKeysAreNineteenZeroPaddedDigitsSoThatTheyOrderByTime() {
    assertThat(PairingProcessor.indexKey(1_764_806_400_123L, "default/iris/r-1"))
        .isEqualTo("0000001764806400123|default/iris/r-1");
    assertThat(PairingProcessor.indexKey(0, "")).isEqualTo("0000000000000000000|");
    assertThat(PairingProcessor.indexKey(-5, null)).isEqualTo("0000000000000000000");
    assertThat(PairingProcessor.indexKey(Long.MAX_VALUE, null)).isEqualTo("9223372036854775807");

    List<String> keys = new ArrayList<>();
    for (long t : new long[] {9, 10, 99, 100, 1_000_000, 1_764_806_400_000L}) {
      keys.add(PairingProcessor.indexKey(t, "k"));
    }
    assertThat(keys).isSorted();
  }
}
