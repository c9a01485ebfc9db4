package dev.kaskade.workers.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.testing.LinearModel;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private static final float[] ROW = {1, 2, 3, 4};

  private static void validate(Tensor... inputs) {
    RequestValidator.validate(List.of(inputs), List.of(), LinearModel.METADATA);
  }

  private static void assertInvalid(Runnable call, String... fragments) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KaskadeException.class)
        .satisfies(
            e -> assertThat(((KaskadeException) e).reason()).isEqualTo(Reason.INVALID_ARGUMENT))
        .message()
        .contains(fragments);
  }

  @Test
  void acceptsAnyBatchSizeWhereTheModelDeclaresMinusOne() {
    assertThatCode(() -> validate(Tensors.ofFloats("input", List.of(2L, 4L), new float[8])))
        .doesNotThrowAnyException();
  }

  @Test
  void aModelWithoutASignatureLeavesValidationToItsModelServer() {
    var unsigned =
        new dev.kaskade.workers.backend.ModelMetadata("remote", "bridge", List.of(), List.of());
    assertThatCode(
            () ->
                RequestValidator.validate(
                    List.of(Tensors.ofFloats("anything", List.of(1L, 3L), new float[3])),
                    List.of("whatever"),
                    unsigned))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsUnknownInputNamingIt() {
    assertInvalid(
        () -> validate(Tensors.ofFloats("features", List.of(1L, 4L), ROW)), "'features'", "input");
  }

  @Test
  void rejectsMissingInput() {
    assertInvalid(() -> validate(), "missing input 'input'");
  }

  @Test
  void rejectsWrongDatatypeWithExpectedAndGot() {
    assertInvalid(
        () -> validate(Tensors.ofDoubles("input", List.of(1L, 4L), new double[4])),
        "'input'",
        "expected datatype FP32",
        "got FP64");
  }

  @Test
  void rejectsWrongShapeWithExpectedAndGot() {
    assertInvalid(
        () -> validate(Tensors.ofFloats("input", List.of(1L, 3L), new float[3])),
        "'input'",
        "expected shape [-1, 4]",
        "got [1, 3]");
  }

  @Test
  void rejectsWrongRank() {
    assertInvalid(
        () -> validate(Tensors.ofFloats("input", List.of(4L), ROW)), "expected shape [-1, 4]");
  }

  @Test
  void rejectsDataLengthThatDoesNotMatchTheShape() {
    Tensor truncated =
        Tensor.newBuilder()
            .setName("input")
            .setDatatype(DataType.FP32)
            .setShape(List.of(2L, 4L))
            .setData(ByteBuffer.allocate(16))
            .build();
    assertInvalid(() -> validate(truncated), "'input'", "32 bytes", "got 16");
  }

  @Test
  void rejectsDuplicateInput() {
    Tensor t = Tensors.ofFloats("input", List.of(1L, 4L), ROW);
    assertInvalid(() -> validate(t, t), "more than once");
  }

  @Test
  void rejectsUnknownRequestedOutput() {
    assertInvalid(
        () ->
            RequestValidator.validate(
                List.of(Tensors.ofFloats("input", List.of(1L, 4L), ROW)),
                List.of("probabilities"),
                LinearModel.METADATA),
        "unknown output 'probabilities'");
  }

  @Test
  void shapeWildcardMatchesAnySizeButNotNegativeActualSizes() {
    assertThat(RequestValidator.shapeMatches(List.of(-1L, 4L), List.of(7L, 4L))).isTrue();
    assertThat(RequestValidator.shapeMatches(List.of(-1L, 4L), List.of(-1L, 4L))).isFalse();
    assertThat(RequestValidator.shapeMatches(List.of(2L, 4L), List.of(3L, 4L))).isFalse();
  }

  @Test
  void bindsTheV1DefaultInputNameToTheModelsSingleInput() {
    List<Tensor> bound =
        RequestValidator.bindDefaultInput(
            List.of(Tensors.ofFloats("input-0", List.of(1L, 4L), ROW)), LinearModel.METADATA);

    assertThat(bound).extracting(Tensor::getName).containsExactly("input");
    assertThatCode(() -> validate(bound.toArray(Tensor[]::new))).doesNotThrowAnyException();
  }

  @Test
  void leavesOtherInputNamesToTheValidator() {
    List<Tensor> inputs = List.of(Tensors.ofFloats("features", List.of(1L, 4L), ROW));

    assertThat(RequestValidator.bindDefaultInput(inputs, LinearModel.METADATA)).isSameAs(inputs);
  }

  static final ModelMetadata TEXT_MODEL =
      new ModelMetadata(
          "minilm",
          "huggingface_onnx",
          List.of(new TensorMetadata("text", DataType.BYTES, List.of(-1L))),
          List.of(new TensorMetadata("embedding", DataType.FP32, List.of(-1L, 384L))));

  @Test
  void v1TextInstancesBecomeTheBytesInputOfATextModel() {
    List<Tensor> bound =
        RequestValidator.bindTextInstances(
            List.of(), "{\"instances\": [\"a\", \"b c\"]}", TEXT_MODEL);

    assertThat(bound).hasSize(1);
    assertThat(bound.get(0).getName()).isEqualTo("text");
    assertThat(bound.get(0).getShape()).containsExactly(2L);
    assertThat(Tensors.toByteElements(bound.get(0)))
        .containsExactly("a".getBytes(), "b c".getBytes());
  }

  @Test
  void v1InstancesThatAreNotAllStringsAreRejectedNamingTheFirstBadOne() {
    assertThatThrownBy(
            () ->
                RequestValidator.bindTextInstances(
                    List.of(), "{\"instances\": [\"a\", 3]}", TEXT_MODEL))
        .isInstanceOfSatisfying(
            KaskadeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
        .hasMessageContaining("list of strings; instance 1");
  }

  @Test
  void aJsonPayloadForAModelWithoutTextInputIsLeftAlone() {
    List<Tensor> none = List.of();
    assertThat(
            RequestValidator.bindTextInstances(
                none, "{\"instances\": [\"a\"]}", LinearModel.METADATA))
        .isSameAs(none);
  }

  @Test
  void aBytesInputOfAnyNameBindsToTheTextModelsInput() {
    List<Tensor> inputs = List.of(Tensors.ofStrings("input", List.of(1L), List.of("hi")));

    List<Tensor> bound = RequestValidator.bindDefaultInput(inputs, TEXT_MODEL);

    assertThat(bound.get(0).getName()).isEqualTo("text");
    assertThatCode(() -> RequestValidator.validate(bound, List.of(), TEXT_MODEL))
        .doesNotThrowAnyException();
  }
}
