package dev.kaskade.workers.generation.tinylm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.generation.CancelSignal;
import dev.kaskade.workers.generation.GenerationOutcome;
import dev.kaskade.workers.generation.GenerationOutcome.FinishReason;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.TextGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyLmTest {
  @TempDir static Path dir;
  static TextGenerator lm;

  @BeforeAll
  static void build() throws Exception {
    TinyLm.write(dir);
    var factory = new TinyLmGeneratorFactory();
    ModelSource source = new ModelSource("tiny-lm", "r1", dir, "tiny-lm", Map.of());
    assertThat(factory.accepts(source)).isTrue();
    assertThat(factory.accepts(new ModelSource("x", "r1", dir, "onnx", Map.of())))
        .as("a folder whose config says so")
        .isTrue();
    lm = factory.open(source);
  }

  static GenerationSpec spec(
      String prompt, int max, double temperature, Long seed, List<String> stop) {
    return new GenerationSpec(
        GenerationSpec.Api.COMPLETION,
        "tiny-lm",
        prompt,
        List.of(),
        max,
        temperature,
        1.0,
        seed,
        stop,
        "{}",
        0);
  }

  static String run(GenerationSpec spec, int[] tokens, GenerationOutcome[] outcome)
      throws Exception {
    StringBuilder out = new StringBuilder();
    outcome[0] =
        lm.generate(
            spec,
            (text, n) -> {
              out.append(text);
              tokens[0] += n;
            },
            CancelSignal.NEVER);
    return out.toString();
  }

  @Test
  void theSameCorpusAlwaysGivesTheSameModelBytes() throws Exception {
    byte[] again = TinyLm.model(TinyLm.corpus()).toByteArray();
    assertThat(again).isEqualTo(Files.readAllBytes(dir.resolve("model.onnx")));
  }

  @Test
  void greedyOutputIsFixedAndStopsAtMaxTokens() throws Exception {
    GenerationOutcome[] outcome = new GenerationOutcome[1];
    String first = run(spec("The gateway", 24, 0, null, List.of()), new int[1], outcome);
    String second = run(spec("The gateway", 24, 0, null, List.of()), new int[1], outcome);
    assertThat(first).isEqualTo(second).hasSize(24);
    assertThat(outcome[0].finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(outcome[0].completionTokens()).isEqualTo(24);
    assertThat(outcome[0].promptTokens()).isEqualTo("The gateway".length() + 1);
    System.out.println("greedy: [" + first + "]");
  }

  @Test
  void seededSamplingRepeatsAndDiffersAcrossSeeds() throws Exception {
    GenerationOutcome[] outcome = new GenerationOutcome[1];
    String a = run(spec("Kafka", 60, 1.0, 7L, List.of()), new int[1], outcome);
    String b = run(spec("Kafka", 60, 1.0, 7L, List.of()), new int[1], outcome);
    String c = run(spec("Kafka", 60, 1.0, 8L, List.of()), new int[1], outcome);
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  @Test
  void stopStringEndsTheTextBeforeIt() throws Exception {
    GenerationOutcome[] outcome = new GenerationOutcome[1];
    String full = run(spec("The gateway", 40, 0, null, List.of()), new int[1], outcome);
    String stop = full.substring(10, 12);
    String cut = run(spec("The gateway", 40, 0, null, List.of(stop)), new int[1], outcome);
    assertThat(cut).isEqualTo(full.substring(0, full.indexOf(stop)));
    assertThat(outcome[0].finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void cancelStopsWithinOneToken() throws Exception {
    int[] seen = {0};
    GenerationOutcome outcome =
        lm.generate(
            spec("x", 1000, 0, null, List.of()), (t, n) -> seen[0] += n, () -> seen[0] >= 3);
    assertThat(outcome.finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(outcome.completionTokens()).isEqualTo(3);
  }

  @Test
  void aPacedModelTakesOneIntervalPerTokenOnItsClockAndSaysTheSame() throws Exception {
    TokenPacerTest.FakeTime time = new TokenPacerTest.FakeTime();
    TextGenerator paced = ((OnnxDecoder) lm).withPacer(time.pacer(20 * TokenPacerTest.MS));
    GenerationSpec spec = spec("The gateway", 24, 0, null, List.of());
    StringBuilder text = new StringBuilder();
    long start = time.now;
    GenerationOutcome outcome = paced.generate(spec, (t, n) -> text.append(t), CancelSignal.NEVER);
    assertThat(outcome.completionTokens()).isEqualTo(24);
    assertThat(time.sleeps).hasSize(24);
    assertThat(time.now - start).isEqualTo(24 * 20 * TokenPacerTest.MS);
    assertThat(text.toString()).isEqualTo(run(spec, new int[1], new GenerationOutcome[1]));
  }

  @Test
  void aStoppingWorkerInterruptsAPacedGenerationLikeACancel() throws Exception {
    int[] sleeps = {0};
    TokenPacer pacer =
        new TokenPacer(
            20 * TokenPacerTest.MS,
            () -> 0L,
            nanos -> {
              if (++sleeps[0] == 3) {
                throw new InterruptedException("worker stopping");
              }
            });
    TextGenerator paced = ((OnnxDecoder) lm).withPacer(pacer);
    GenerationOutcome outcome =
        paced.generate(spec("x", 100, 0, null, List.of()), (t, n) -> {}, CancelSignal.NEVER);
    assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
    assertThat(outcome.finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(outcome.completionTokens()).isEqualTo(2);
  }

  @Test
  void theFactoryRefusesAnIntervalThatIsNotANumber() {
    ModelSource source =
        new ModelSource("tiny-lm", "r1", dir, "tiny-lm", Map.of("args.token_interval_ms", "soon"));
    assertThatThrownBy(() -> new TinyLmGeneratorFactory().open(source))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("token_interval_ms");
  }

  @Test
  void multiByteCharactersAreNeverSplit() {
    ByteTokenizer.Decoder decoder = new ByteTokenizer.Decoder();
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    assertThat(decoder.push(euro[0] & 0xff)).isEmpty();
    assertThat(decoder.push(euro[1] & 0xff)).isEmpty();
    assertThat(decoder.push(euro[2] & 0xff)).isEqualTo("€");
  }
}
