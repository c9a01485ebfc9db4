package dev.kaskade.workers.generation.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.generation.CancelSignal;
import dev.kaskade.workers.generation.GenerationException;
import dev.kaskade.workers.generation.GenerationOutcome;
import dev.kaskade.workers.generation.GenerationOutcome.FinishReason;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.GenerationSpec.Api;
import dev.kaskade.workers.generation.GenerationSpec.ChatMessage;
import dev.kaskade.workers.generation.TextGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * llama.cpp (de.kherud:llama) on a GGUF file the test writes ({@link TinyGguf}): the adapter's
 * plumbing, not a language model. Skipped where the natives cannot load (no libgomp).
 */
class LlamaCppGeneratorTest {
  @TempDir static Path dir;
  private static TextGenerator generator;

  @BeforeAll
  static void load() throws Exception {
    Path file = TinyGguf.write(dir.resolve("tiny.gguf"));
    try {
      LlamaCppFactory.routeLogs();
    } catch (ModelLoadException e) {
      assumeTrue(false, "llama.cpp natives unavailable here: " + e.getMessage());
    }
    generator = new LlamaCppFactory().open(source(file, "gguf", Map.of("parallel", "2")));
  }

  @AfterAll
  static void close() {
    if (generator != null) {
      generator.close();
    }
  }

  @Test
  void streamsTheCompletionThroughTheSinkAndCountsTokens() throws Exception {
    Recorded r = run(completion("the model", 12, 0.0, null, List.of()), CancelSignal.NEVER);
    assertThat(r.pieces).hasSizeGreaterThan(1);
    assertThat(r.text()).hasSize(12).matches("[a-z ]+");
    assertThat(r.outcome.completionTokens()).isEqualTo(12).isEqualTo(r.tokens.get());
    assertThat(r.outcome.promptTokens()).isEqualTo(byteTokens("the model"));
    assertThat(generator.maxConcurrent()).isEqualTo(2);
  }

  @Test
  void maxTokensEndsWithLengthAfterExactlyThatManyTokens() throws Exception {
    Recorded r = run(completion("hello", 5, 0.7, 3L, List.of()), CancelSignal.NEVER);
    assertThat(r.outcome.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.outcome.completionTokens()).isEqualTo(5);
    assertThat(r.text()).hasSize(5);
  }

  @Test
  void stopsAtAStopStringAndNeverHandsItOut() throws Exception {
    String full = run(completion("abc", 40, 0.9, 11L, List.of()), CancelSignal.NEVER).text();
    String stop = full.substring(6, 8);
    String expected = full.substring(0, full.indexOf(stop));

    Recorded r = run(completion("abc", 40, 0.9, 11L, List.of(stop)), CancelSignal.NEVER);

    assertThat(r.text()).isEqualTo(expected).doesNotContain(stop);
    assertThat(r.outcome.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void aSeedWithTemperatureGivesTheSameTextTwiceAndAnotherSeedDoesNot() throws Exception {
    String first = run(completion("seeded", 40, 1.0, 42L, List.of()), CancelSignal.NEVER).text();
    String again = run(completion("seeded", 40, 1.0, 42L, List.of()), CancelSignal.NEVER).text();
    String other = run(completion("seeded", 40, 1.0, 43L, List.of()), CancelSignal.NEVER).text();
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void cancellingStopsWithinATokenAndReturnsPromptly() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    CancelSignal afterThree = () -> seen.get() >= 3;
    long started = System.nanoTime();
    List<String> pieces = new ArrayList<>();
    GenerationOutcome outcome =
        generator.generate(
            completion("cancel me", 900, 0.0, null, List.of()),
            (text, tokens) -> {
              pieces.add(text);
              seen.addAndGet(tokens);
            },
            afterThree);
    long ms = (System.nanoTime() - started) / 1_000_000;
    assertThat(outcome.finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(outcome.completionTokens()).isEqualTo(3);
    assertThat(ms).isLessThan(2_000);
    // the slot is free again: the next request is served normally
    assertThat(run(completion("next", 4, 0.0, null, List.of()), CancelSignal.NEVER).text())
        .hasSize(4);
  }

  @Test
  void runsAsManySequencesAtOnceAsItHasSlots() throws Exception {
    GenerationSpec spec = completion("together", 30, 0.0, null, List.of());
    String alone = run(spec, CancelSignal.NEVER).text();
    List<Thread> threads = new ArrayList<>();
    List<String> texts = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < generator.maxConcurrent(); i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      texts.add(run(spec, CancelSignal.NEVER).text());
                    } catch (Exception e) {
                      texts.add("failed: " + e);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertThat(texts).hasSize(2).containsOnly(alone);
  }

  @Test
  void chatMessagesGoThroughTheModelsChatTemplate() throws Exception {
    GenerationSpec chat =
        new GenerationSpec(
            Api.CHAT,
            "tiny",
            null,
            List.of(new ChatMessage("system", "be brief"), new ChatMessage("user", "hi")),
            6,
            0.0,
            1.0,
            null,
            List.of(),
            null,
            0);
    Recorded r = run(chat, CancelSignal.NEVER);
    String rendered = "<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n";
    String prompt = rendered + "<|im_start|>assistant\n";
    assertThat(r.outcome.promptTokens()).isEqualTo(byteTokens(prompt));
    assertThat(r.text()).hasSize(6);
  }

  @Test
  void aPromptLongerThanTheContextIsTheCallersFault() throws Exception {
    String tooLong = "x".repeat(LlamaCppSettings.DEFAULT_CONTEXT + 10);
    assertThatThrownBy(
            () ->
                generator.generate(
                    completion(tooLong, 4, 0.0, null, List.of()),
                    (text, tokens) -> {},
                    CancelSignal.NEVER))
        .isInstanceOfSatisfying(
            GenerationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.type()).isEqualTo("invalid_request_error");
            });
    // and the model goes on serving
    assertThat(run(completion("after", 3, 0.0, null, List.of()), CancelSignal.NEVER).text())
        .hasSize(3);
  }

  @Test
  void aFileThatIsNotGgufFailsToLoadWithAClearReason() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.gguf"), "not a model at all");
    assertThatThrownBy(() -> new LlamaCppFactory().open(source(junk, "gguf", Map.of())))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("junk.gguf")
        .hasMessageContaining("not a GGUF file");
  }

  @Test
  void aTruncatedGgufFailsToLoadInsteadOfCrashing() throws Exception {
    byte[] whole = TinyGguf.bytes();
    Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> new LlamaCppFactory().open(source(cut, "gguf", Map.of())))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("llama.cpp cannot load")
        .hasMessageContaining("cut.gguf");
  }

  @Test
  void aMissingFileOrAFolderWithoutGgufFailsToLoad() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(
            () -> new LlamaCppFactory().open(source(dir.resolve("nope.gguf"), "gguf", Map.of())))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> new LlamaCppFactory().open(source(empty, "gguf", Map.of())))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no [.gguf] model file");
  }

  /** Tokens of the byte vocabulary: one per UTF-8 byte, spaces written as SentencePiece's ▁. */
  private static int byteTokens(String text) {
    return text.replace(" ", "\u2581").getBytes(StandardCharsets.UTF_8).length;
  }

  private static ModelSource source(Path path, String format, Map<String, String> parameters) {
    return new ModelSource("tiny", "1", path, format, parameters);
  }

  private static GenerationSpec completion(
      String prompt, int maxTokens, double temperature, Long seed, List<String> stop) {
    return new GenerationSpec(
        Api.COMPLETION,
        "tiny",
        prompt,
        List.of(),
        maxTokens,
        temperature,
        1.0,
        seed,
        stop,
        null,
        0);
  }

  private static Recorded run(GenerationSpec spec, CancelSignal cancel) throws Exception {
    List<String> pieces = new ArrayList<>();
    AtomicInteger tokens = new AtomicInteger();
    GenerationOutcome outcome =
        generator.generate(
            spec,
            (text, n) -> {
              pieces.add(text);
              tokens.addAndGet(n);
            },
            cancel);
    return new Recorded(pieces, tokens, outcome);
  }

  private record Recorded(List<String> pieces, AtomicInteger tokens, GenerationOutcome outcome) {
    String text() {
      return String.join("", pieces);
    }
  }
}
