package dev.kaskade.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.GenerationEventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class StreamAssemblerTest {

  static GenerationEvent event(String attempt, int seq, GenerationEventKind kind, String text) {
    return GenerationEvent.newBuilder()
        .setRequestId("r")
        .setAttempt(attempt)
        .setSeq(seq)
        .setKind(kind)
        .setText(text)
        .setTerminal(kind == GenerationEventKind.USAGE)
        .build();
  }

  static List<GenerationEvent> run(StreamAssembler a, GenerationEvent... events) {
    List<GenerationEvent> out = new ArrayList<>();
    for (GenerationEvent e : events) {
      out.add(a.accept(e));
    }
    return out.stream().filter(Objects::nonNull).toList();
  }

  static String text(List<GenerationEvent> events) {
    return events.stream()
        .filter(e -> e.getKind() == GenerationEventKind.DELTA)
        .map(GenerationEvent::getText)
        .reduce("", String::concat);
  }

  @Test
  void duplicateSeqOfTheSameAttemptIsDropped() {
    var out =
        run(
            new StreamAssembler(false),
            event("a", 0, GenerationEventKind.START, ""),
            event("a", 1, GenerationEventKind.DELTA, "he"),
            event("a", 1, GenerationEventKind.DELTA, "he"),
            event("a", 2, GenerationEventKind.DELTA, "llo"),
            event("a", 0, GenerationEventKind.START, ""),
            event("a", 3, GenerationEventKind.USAGE, ""));
    assertThat(out).hasSize(4);
    assertThat(text(out)).isEqualTo("hello");
  }

  @Test
  void aNewAttemptOfADeterministicRequestResumesWithoutRepeatingText() {
    var out =
        run(
            new StreamAssembler(true),
            event("a", 0, GenerationEventKind.START, ""),
            event("a", 1, GenerationEventKind.DELTA, "hel"),
            event("b", 0, GenerationEventKind.START, ""),
            event("b", 1, GenerationEventKind.DELTA, "he"),
            event("b", 2, GenerationEventKind.DELTA, "llo"),
            event("b", 3, GenerationEventKind.USAGE, ""));
    assertThat(text(out)).isEqualTo("hello");
    assertThat(out.getFirst().getKind()).isEqualTo(GenerationEventKind.START);
    assertThat(out.stream().filter(e -> e.getKind() == GenerationEventKind.START)).hasSize(1);
  }

  @Test
  void aNewAttemptOfASampledRequestEndsTheStreamWithAnError() {
    var out =
        run(
            new StreamAssembler(false),
            event("a", 0, GenerationEventKind.START, ""),
            event("a", 1, GenerationEventKind.DELTA, "hel"),
            event("b", 0, GenerationEventKind.START, ""));
    assertThat(out.getLast().getKind()).isEqualTo(GenerationEventKind.ERROR);
    assertThat(out.getLast().getError().getCode()).isEqualTo("UNAVAILABLE");
    assertThat(out.getLast().getTerminal()).isTrue();
  }
}
