package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ByteSizeTest {
  @Test
  void plainNumbersAreBytes() {
    assertThat(ByteSize.parse("1048576")).isEqualTo(1_048_576L);
  }

  @Test
  void suffixesAreBinaryWhateverTheSpelling() {
    assertThat(ByteSize.parse("512m")).isEqualTo(512L << 20);
    assertThat(ByteSize.parse("512MB")).isEqualTo(512L << 20);
    assertThat(ByteSize.parse("2Gi")).isEqualTo(2L << 30);
    assertThat(ByteSize.parse("2GiB")).isEqualTo(2L << 30);
    assertThat(ByteSize.parse("64k")).isEqualTo(64L << 10);
    assertThat(ByteSize.parse("1t")).isEqualTo(1L << 40);
  }

  @Test
  void fractionsAreAllowedWithASuffix() {
    assertThat(ByteSize.parse("1.5g")).isEqualTo(3L << 29);
  }

  @Test
  void garbageZeroAndUnknownSuffixesAreRejectedWithTheValue() {
    for (String bad : new String[] {"", "lots", "0", "12x", "-5m"}) {
      assertThatThrownBy(() -> ByteSize.parse(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
