package dev.kaskade.processors.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  @Test
  void matrixRefusesAHugeFirstDimensionWithNoData() {
    Tensor tensor = Tensors.ofFloats("x", List.of(2_147_483_647L, 0L), new float[0]);

    assertThatThrownBy(() -> Payloads.matrix(tensor))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining("dimension 2147483647");
  }

  @Test
  void matrixRefusesAShapeThatDoesNotHoldTheData() {
    Tensor tensor = Tensors.ofFloats("x", List.of(3L, 1L), new float[] {1, 2});

    assertThatThrownBy(() -> Payloads.matrix(tensor)).isInstanceOf(KaskadeException.class);
  }

  @Test
  void matrixReadsRowsAndColumnsFromAValidShape() {
    Tensor tensor = Tensors.ofFloats("x", List.of(2L, 2L), new float[] {1, 2, 3, 4});

    assertThat(Payloads.matrix(tensor)).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
  }

  @Test
  void nestedRefusesARankAboveTheLimit() {
    Tensor tensor =
        Tensors.ofFloats("x", new ArrayList<>(Collections.nCopies(100_000, 1L)), new float[] {1});

    assertThatThrownBy(() -> Payloads.nested(tensor))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining("100000 dimensions");
  }

  @Test
  void nestedRefusesManyEmptyRows() {
    Tensor tensor = Tensors.ofFloats("x", List.of(100_000_000L, 0L), new float[0]);

    assertThatThrownBy(() -> Payloads.nested(tensor)).isInstanceOf(KaskadeException.class);
  }

  @Test
  void nestedBuildsListsFollowingTheShape() {
    Tensor tensor = Tensors.ofFloats("x", List.of(2L, 1L, 2L), new float[] {1, 2, 3, 4});

    assertThat(Payloads.nested(tensor).toString()).isEqualTo("[[[1.0,2.0]],[[3.0,4.0]]]");
  }

  @Test
  void nestedKeepsAnEmptyInnerDimension() {
    Tensor tensor = Tensors.ofFloats("x", List.of(1L, 0L), new float[0]);

    assertThat(Payloads.nested(tensor).toString()).isEqualTo("[[]]");
  }

  @Test
  void nestedAllowsTheMaximumRank() {
    Tensor tensor =
        Tensors.ofFloats(
            "x",
            new ArrayList<>(Collections.nCopies(Tensors.DEFAULT_MAX_RANK, 1L)),
            new float[] {7});

    assertThat(Payloads.nested(tensor).toString())
        .isEqualTo("[".repeat(16) + "7.0" + "]".repeat(16));
  }
}
