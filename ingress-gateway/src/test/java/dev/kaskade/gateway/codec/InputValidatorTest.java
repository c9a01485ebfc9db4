package dev.kaskade.gateway.codec;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.gateway.route.ModelMetadata;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputValidatorTest {
  private static final ModelMetadata IRIS = ModelMetadata.parse(Resources.IRIS_METADATA);

  @Test
  void acceptsAnyBatchSizeForAVariableDimension() {
    assertThatCode(
            () ->
                InputValidator.validate(
                    List.of(Tensors.ofFloats("input", List.of(3L, 4L), new float[12])), IRIS))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsWrongRankFixedDimensionDatatypeAndName() {
    assertThatThrownBy(
            () ->
                InputValidator.validate(
                    List.of(Tensors.ofFloats("input", List.of(12L), new float[12])), IRIS))
        .hasMessage("tensor 'input': shape [12] does not match the model's [-1, 4]");
    assertThatThrownBy(
            () ->
                InputValidator.validate(
                    List.of(Tensors.ofDoubles("input", List.of(1L, 4L), new double[4])), IRIS))
        .hasMessage("tensor 'input': datatype FP64 does not match the model's FP32");
    assertThatThrownBy(
            () ->
                InputValidator.validate(
                    List.of(Tensors.ofFloats("other", List.of(1L, 4L), new float[4])), IRIS))
        .hasMessageContaining("tensor 'other' is not an input of model iris");
  }

  @Test
  void rejectsDataShorterThanTheShapeEvenWithoutMetadata() {
    assertThatThrownBy(
            () ->
                InputValidator.validate(
                    List.of(Tensors.ofFloats("input", List.of(2L, 4L), new float[4])),
                    ModelMetadata.empty("m")))
        .hasMessageContaining("tensor 'input': shape [2, 4] of FP32 needs 32 bytes, got 16");
  }

  @Test
  void rejectsMissingInputs() {
    assertThatThrownBy(() -> InputValidator.validate(List.of(), IRIS))
        .hasMessage("input tensor 'input' is missing");
  }
}
