package dev.kaskade.workers.generation.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static final String STREAM =
      ": ping\n\n"
          + "data: {\"text\":\"héllo ✓\"}\n\n"
          + "event: message\r\nid: 7\r\ndata: line one\r\ndata: line two\r\n\r\n"
          + "data:no-space\r\r"
          + "retry: 10\n\n"
          + "data: [DONE]\n\n";

  @Test
  void findsEveryEventSkippingCommentsAndOtherFields() {
    assertThat(new SseParser().feed(bytes(STREAM)))
        .containsExactly("{\"text\":\"héllo ✓\"}", "line one\nline two", "no-space", "[DONE]");
  }

  @Test
  void givesTheSameEventsWhateverTheChunkBoundariesEvenInsideAUtf8Character() {
    byte[] all = bytes(STREAM);
    for (int size = 1; size <= 7; size++) {
      SseParser parser = new SseParser();
      List<String> events = new ArrayList<>();
      for (int i = 0; i < all.length; i += size) {
        events.addAll(parser.feed(Arrays.copyOfRange(all, i, Math.min(all.length, i + size))));
      }
      assertThat(events)
          .as("chunks of %d bytes", size)
          .hasSize(4)
          .contains("{\"text\":\"héllo ✓\"}");
    }
  }

  @Test
  void keepsAnUnfinishedEventUntilItsBlankLine() {
    SseParser parser = new SseParser();
    assertThat(parser.feed(bytes("data: {\"a\":1}\n"))).isEmpty();
    assertThat(parser.feed(bytes("\n"))).containsExactly("{\"a\":1}");
  }

  @Test
  void refusesALineThatNeverEnds() {
    SseParser parser = new SseParser();
    byte[] junk = new byte[SseParser.MAX_LINE_BYTES + 1];
    Arrays.fill(junk, (byte) 'x');
    assertThatThrownBy(() -> parser.feed(junk)).isInstanceOf(IllegalStateException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
