package dev.kaskade.workers.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorBatchingTest {
  private static Tensor rows(int n, float start) {
    float[] data = new float[n * 2];
    for (int i = 0; i < data.length; i++) {
      data[i] = start + i;
    }
    return Tensors.ofFloats("x", List.of((long) n, 2L), data);
  }

  @Test
  void mergesAlongTheFirstDimensionAndSplitsBackByRows() {
    List<Tensor> merged = TensorBatching.merge(List.of(List.of(rows(1, 0)), List.of(rows(2, 10))));
    assertThat(merged.get(0).getShape()).containsExactly(3L, 2L);
    assertThat(Tensors.toFloats(merged.get(0))).containsExactly(0, 1, 10, 11, 12, 13);

    List<List<Tensor>> split = TensorBatching.split(merged, new long[] {1, 2});
    assertThat(Tensors.toFloats(split.get(0).get(0))).containsExactly(0, 1);
    assertThat(split.get(1).get(0).getShape()).containsExactly(2L, 2L);
    assertThat(Tensors.toFloats(split.get(1).get(0))).containsExactly(10, 11, 12, 13);
  }

  @Test
  void requestsWithDifferentInnerShapesOrTypesGetDifferentMergeKeys() {
    String a = TensorBatching.mergeKey(List.of(rows(1, 0)), List.of());
    String b = TensorBatching.mergeKey(List.of(rows(5, 0)), List.of());
    String c =
        TensorBatching.mergeKey(
            List.of(Tensors.ofFloats("x", List.of(1L, 3L), new float[3])), List.of());
    String d =
        TensorBatching.mergeKey(
            List.of(Tensors.ofDoubles("x", List.of(1L, 2L), new double[2])), List.of());
    String e = TensorBatching.mergeKey(List.of(rows(1, 0)), List.of("y"));
    assertThat(a).isEqualTo(b);
    assertThat(List.of(c, d, e)).doesNotContain(a);
  }

  @Test
  void scalarsAndBytesInputsNeverMerge() {
    Tensor scalar = Tensors.ofFloats("x", List.of(), new float[] {1});
    Tensor text = Tensors.ofStrings("t", List.of(1L), List.of("hi"));
    assertThat(TensorBatching.mergeKey(List.of(scalar), List.of())).isNull();
    assertThat(TensorBatching.mergeKey(List.of(text), List.of())).isNull();
    assertThat(TensorBatching.rows(List.of(scalar))).isEqualTo(-1);
  }

  @Test
  void splitsBytesOutputsByElements() {
    Tensor out = Tensors.ofStrings("label", List.of(3L), List.of("a", "bb", "ccc"));
    List<List<Tensor>> split = TensorBatching.split(List.of(out), new long[] {2, 1});
    assertThat(Tensors.toByteElements(split.get(0).get(0)))
        .extracting(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("a", "bb");
    assertThat(Tensors.toByteElements(split.get(1).get(0)))
        .extracting(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("ccc");
  }

  @Test
  void refusesToSplitOutputsWhoseRowsDoNotAddUp() {
    assertThatThrownBy(() -> TensorBatching.split(List.of(rows(2, 0)), new long[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 3 rows");
  }
}
