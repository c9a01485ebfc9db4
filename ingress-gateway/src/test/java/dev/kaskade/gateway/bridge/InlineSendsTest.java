package dev.kaskade.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InlineSendsTest {
  private final InlineSends inline = new InlineSends();

  @Test
  void aTopicIsWarmOnlyAfterAnAcknowledgedRequestAndForAMinute() {
    assertThat(inline.warm("t", 1_000)).isFalse();
    inline.acknowledged("t", 1_000);
    assertThat(inline.warm("t", 1_000)).isTrue();
    assertThat(inline.warm("t", 1_000 + InlineSends.WARM_MS - 1)).isTrue();
    assertThat(inline.warm("t", 1_000 + InlineSends.WARM_MS)).isFalse();
    assertThat(inline.warm("other", 1_000)).isFalse();
  }

  @Test
  void laterAcknowledgementsKeepATopicWarmAtMostOneWriteASecond() {
    inline.acknowledged("t", 0);
    inline.acknowledged("t", InlineSends.REFRESH_MS - 1); // not rewritten: one write a second
    assertThat(inline.warm("t", InlineSends.WARM_MS)).isFalse();
    inline.acknowledged("t", 30_000);
    assertThat(inline.warm("t", 30_000 + InlineSends.WARM_MS - 1)).isTrue();
  }

  @Test
  void largeRecordsAndAFillingBufferAreOffloaded() {
    assertThat(inline.hasRoomFor(1_000)).isTrue();
    assertThat(inline.hasRoomFor(InlineSends.MAX_INLINE_RECORD_BYTES)).isTrue();
    assertThat(inline.hasRoomFor(InlineSends.MAX_INLINE_RECORD_BYTES + 1)).isFalse();

    long each = 100_000;
    int sends = 0;
    while (inline.hasRoomFor(each)) {
      inline.sending(each);
      sends++;
    }
    assertThat(inline.unacknowledgedBytes())
        .isGreaterThanOrEqualTo(InlineSends.MAX_UNACKNOWLEDGED_BYTES);
    assertThat((long) sends * each).isLessThan(InlineSends.MAX_UNACKNOWLEDGED_BYTES + each);

    inline.settled(each);
    assertThat(inline.hasRoomFor(each)).isTrue();
    for (int i = 1; i < sends; i++) {
      inline.settled(each);
    }
    assertThat(inline.unacknowledgedBytes()).isZero();
  }
}
