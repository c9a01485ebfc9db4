package dev.kaskade.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceParentTest {
  private static final String SHAPE = "00-[0-9a-f]{32}-[0-9a-f]{16}-01";

  @Test
  void keepsAValidCallerHeaderLowerCased() {
    String caller = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01";

    assertThat(TraceParent.fromOrNew("  " + caller + " ")).isEqualTo(caller.toLowerCase());
  }

  @Test
  void startsANewTraceWithoutOrWithAnInvalidHeader() {
    assertThat(TraceParent.fromOrNew(null)).matches(SHAPE);
    assertThat(TraceParent.fromOrNew("not a traceparent")).matches(SHAPE);
    assertThat(TraceParent.fromOrNew("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
        .as("all-zero trace id")
        .matches(SHAPE)
        .doesNotContain("00000000000000000000000000000000");
    assertThat(TraceParent.fromOrNew("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
        .as("all-zero parent id")
        .matches(SHAPE)
        .doesNotStartWith("00-4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void newTracesAreDistinctAndNeverZero() {
    String a = TraceParent.fromOrNew(null);
    String b = TraceParent.fromOrNew(null);

    assertThat(a).isNotEqualTo(b);
    assertThat(a.substring(3, 35)).isNotEqualTo("0".repeat(32));
    assertThat(a.substring(36, 52)).isNotEqualTo("0".repeat(16));
  }
}
