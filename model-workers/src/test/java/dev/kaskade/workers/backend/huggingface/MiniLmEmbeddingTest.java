package dev.kaskade.workers.backend.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.demo.MiniLm;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The minilm demo model (all-MiniLM-L6-v2, quantized) served by the huggingface backend. */
class MiniLmEmbeddingTest {
  @TempDir static Path dir;
  static LoadedModel model;

  @BeforeAll
  static void load() throws Exception {
    Path folder = MiniLm.writeModel(dir.resolve("minilm"));
    model =
        new HuggingFaceBackend()
            .load(
                new ModelSource(
                    "minilm", "r1", folder, "huggingface", Map.of("args.task", "text_embedding")));
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  static float[][] embed(String... texts) throws Exception {
    Tensor input = Tensors.ofStrings("text", List.of((long) texts.length), List.of(texts));
    List<Tensor> out = model.infer(List.of(input), Set.of());
    assertThat(out.get(0).getName()).isEqualTo("embedding");
    assertThat(out.get(0).getShape()).containsExactly((long) texts.length, 384L);
    float[] flat = Tensors.toFloats(out.get(0));
    float[][] rows = new float[texts.length][384];
    for (int i = 0; i < texts.length; i++) {
      System.arraycopy(flat, i * 384, rows[i], 0, 384);
    }
    return rows;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void metadataNamesOneTextInputAndTheEmbeddingContract() {
    assertThat(model.metadata().inputs())
        .containsExactly(new TensorMetadata("text", DataType.BYTES, List.of(-1L)));
    assertThat(model.metadata().outputs())
        .containsExactly(
            new TensorMetadata("embedding", DataType.FP32, List.of(-1L, 384L)),
            new TensorMetadata("token_count", DataType.INT64, List.of(-1L)));
  }

  @Test
  void vectorsHave384DimensionsAndUnitLength() throws Exception {
    for (float[] v : embed("The cat sits on the mat.", "Kafka is a distributed log.")) {
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      assertThat(v).hasSize(MiniLm.DIMENSIONS);
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void paraphrasesAreCloserThanUnrelatedSentences() throws Exception {
    float[][] v =
        embed(
            "How do I reset my password?",
            "I forgot my password, how can I change it?",
            "The weather in Paris is sunny today.",
            "A man is playing a guitar.",
            "Someone plays an acoustic guitar.");
    assertThat(cosine(v[0], v[1])).isGreaterThan(cosine(v[0], v[2]) + 0.3);
    assertThat(cosine(v[3], v[4])).isGreaterThan(cosine(v[3], v[2]) + 0.3);
    assertThat(cosine(v[3], v[4])).isGreaterThan(cosine(v[3], v[0]));
  }

  @Test
  void aBatchKeepsItsOrderAndEqualsTheTextsOneByOne() throws Exception {
    String[] texts = {"short", "a somewhat longer sentence about model serving", "third one"};
    float[][] batch = embed(texts);
    for (int i = 0; i < texts.length; i++) {
      float[] alone = embed(texts[i])[0];
      for (int d = 0; d < 384; d++) {
        assertThat(batch[i][d]).as("text %d dim %d", i, d).isCloseTo(alone[d], within(1e-5f));
      }
    }
  }

  @Test
  void tokenCountIncludesTheSpecialTokens() throws Exception {
    Tensor input = Tensors.ofStrings("text", List.of(2L), List.of("hello world", "hello"));
    List<Tensor> out = model.infer(List.of(input), Set.of("token_count"));
    assertThat(out).hasSize(1);
    // [CLS] hello world [SEP] and [CLS] hello [SEP]
    assertThat(Tensors.toDoubles(out.get(0))).containsExactly(4.0, 3.0);
  }

  @Test
  void vectorsEqualLangchain4jsOwnMiniLmModel() throws Exception {
    String[] texts = {"Kaskade serves models over Kafka.", "Paraphrases should be close."};
    float[][] ours = embed(texts);
    var reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    for (int i = 0; i < texts.length; i++) {
      float[] expected = reference.embed(texts[i]).content().vector();
      assertThat(expected).hasSize(384);
      for (int d = 0; d < 384; d++) {
        assertThat(ours[i][d]).as("text %d dim %d", i, d).isCloseTo(expected[d], within(1e-4f));
      }
    }
  }
}
