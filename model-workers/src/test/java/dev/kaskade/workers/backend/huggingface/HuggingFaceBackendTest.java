package dev.kaskade.workers.backend.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.testing.HfTestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The huggingface backend's tasks on tiny table-lookup models ({@link HfTestModels}) through the
 * real tokenizer and ONNX Runtime.
 */
class HuggingFaceBackendTest {
  @TempDir Path tmp;

  LoadedModel load(Path dir, Map<String, String> parameters) throws ModelLoadException {
    return new HuggingFaceBackend()
        .load(new ModelSource("m", "r1", dir, "huggingface", parameters));
  }

  static Tensor texts(String... texts) {
    return Tensors.ofStrings("text", List.of((long) texts.length), List.of(texts));
  }

  static Tensor output(List<Tensor> outputs, String name) {
    return outputs.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
  }

  static List<String> strings(Tensor t) {
    return Tensors.toByteElements(t).stream()
        .map(b -> new String(b, StandardCharsets.UTF_8))
        .toList();
  }

  @Test
  void theBackendIsRegisteredForTheHuggingfaceFormat() throws Exception {
    assertThat(BackendRegistry.load().forFormat("huggingface"))
        .isInstanceOf(HuggingFaceBackend.class);
  }

  @Test
  void sequenceClassificationAnswersClassIndicesLikeKserveWithLabelsAndProbabilities()
      throws Exception {
    // no --task: BertForSequenceClassification in config.json implies it
    try (LoadedModel model = load(HfTestModels.sentiment(tmp.resolve("s")), Map.of())) {
      List<Tensor> out =
          model.infer(List.of(texts("a good movie", "an awful movie", "good good bad")), Set.of());
      assertThat(out.get(0).getName()).isEqualTo("output-0");
      assertThat(out.get(0).getDatatype()).isEqualTo(DataType.INT64);
      assertThat(Tensors.toDoubles(out.get(0))).containsExactly(1, 0, 1);
      assertThat(strings(output(out, "label"))).containsExactly("POSITIVE", "NEGATIVE", "POSITIVE");
      float[] p = Tensors.toFloats(output(out, "probabilities"));
      double positive = 1 / (1 + Math.exp(-2)); // logits [0, 2]
      assertThat(p[1]).isCloseTo((float) positive, within(1e-6f));
      assertThat(p[0] + p[1]).isCloseTo(1f, within(1e-6f));
    }
  }

  @Test
  void returnProbabilitiesMakesTheFirstOutputSoftmaxRoundedToFourDecimals() throws Exception {
    try (LoadedModel model =
        load(
            HfTestModels.sentiment(tmp.resolve("s")),
            Map.of("args.task", "sequence_classification", "args.return_probabilities", "true"))) {
      Tensor first = model.infer(List.of(texts("good")), Set.of("output-0")).get(0);
      assertThat(first.getShape()).containsExactly(1L, 2L);
      assertThat(Tensors.toFloats(first)).containsExactly(0.1192f, 0.8808f);
    }
  }

  @Test
  void tokenClassificationTagsEveryTokenAndLeavesPaddingUnlabelled() throws Exception {
    try (LoadedModel model =
        load(
            HfTestModels.entities(tmp.resolve("t")), Map.of("args.task", "token_classification"))) {
      List<Tensor> out = model.infer(List.of(texts("paris is good", "london")), Set.of());
      // [CLS] paris is good [SEP] / [CLS] london [SEP] [PAD] [PAD]
      assertThat(out.get(0).getShape()).containsExactly(2L, 1L, 5L);
      assertThat(Tensors.toDoubles(out.get(0))).containsExactly(0, 1, 0, 2, 0, 0, 1, 0, 0, 0);
      assertThat(strings(output(out, "labels")))
          .containsExactly("O", "B-LOC", "O", "B-SENT", "O", "O", "B-LOC", "O", "", "");
    }
  }

  @Test
  void aTextLongerThanMaxLengthIsTruncatedLikeTheTokenizer() throws Exception {
    try (LoadedModel model =
        load(HfTestModels.entities(tmp.resolve("t")), Map.of("args.max_length", "6"))) {
      Tensor first =
          model.infer(List.of(texts("paris is good paris is good paris")), Set.of()).get(0);
      assertThat(first.getShape()).containsExactly(1L, 1L, 6L);
      assertThat(Tensors.toDoubles(first)).containsExactly(0, 1, 0, 2, 1, 0);
    }
  }

  @Test
  void fillMaskAnswersTheDecodedTokenAndTheTopCandidates() throws Exception {
    try (LoadedModel model =
        load(HfTestModels.fillMask(tmp.resolve("f")), Map.of("args.top_k", "3"))) {
      List<Tensor> out =
          model.infer(
              List.of(texts("the capital of france is [MASK]", "[MASK] is good")), Set.of());
      assertThat(strings(out.get(0))).containsExactly("paris", "paris");
      assertThat(strings(output(out, "top_k_tokens")))
          .containsExactly("paris", "london", "berlin", "paris", "london", "berlin");
      float[] scores = Tensors.toFloats(output(out, "top_k_scores"));
      assertThat(scores[0]).isGreaterThan(scores[1]);
      assertThat(scores[1]).isGreaterThan(scores[2]);
    }
  }

  @Test
  void fillMaskWithoutAMaskTokenIsAnInvalidArgument() throws Exception {
    try (LoadedModel model = load(HfTestModels.fillMask(tmp.resolve("f")), Map.of())) {
      assertThatThrownBy(() -> model.infer(List.of(texts("paris is good")), Set.of()))
          .isInstanceOfSatisfying(
              KaskadeException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
          .hasMessageContaining("no mask token");
    }
  }

  @Test
  void noTextsAndTooManyTextsAreInvalidArguments() throws Exception {
    try (LoadedModel model =
        load(HfTestModels.sentiment(tmp.resolve("s")), Map.of("maxInstances", "2"))) {
      assertThatThrownBy(() -> model.infer(List.of(texts()), Set.of()))
          .isInstanceOfSatisfying(
              KaskadeException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
          .hasMessageContaining("at least one");
      assertThatThrownBy(() -> model.infer(List.of(texts("a", "b", "c")), Set.of()))
          .isInstanceOf(KaskadeException.class)
          .hasMessageContaining("3 texts in one request; model m takes 2");
    }
  }

  @Test
  void aGenerativeTaskIsRefusedWithWhereToServeIt() throws Exception {
    Path dir = HfTestModels.sentiment(tmp.resolve("s"));
    assertThatThrownBy(() -> load(dir, Map.of("args.task", "text_generation")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("generative")
        .hasMessageContaining("OpenAI");
  }

  @Test
  void aFolderWithoutTokenizerJsonFailsToLoadSayingSo() throws Exception {
    Path dir = HfTestModels.sentiment(tmp.resolve("s"));
    Files.delete(dir.resolve("tokenizer.json"));
    assertThatThrownBy(() -> load(dir, Map.of()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no tokenizer.json");
  }

  @Test
  void paddedBatchesGiveTheSameAnswersForAFloatModel() throws Exception {
    try (LoadedModel rowByRow = load(HfTestModels.entities(tmp.resolve("a")), Map.of());
        LoadedModel padded =
            load(HfTestModels.entities(tmp.resolve("b")), Map.of("batch_rows", "true"))) {
      Tensor in = texts("paris is good", "london");
      assertThat(Tensors.toDoubles(padded.infer(List.of(in), Set.of()).get(0)))
          .containsExactly(Tensors.toDoubles(rowByRow.infer(List.of(in), Set.of()).get(0)));
    }
  }
}
