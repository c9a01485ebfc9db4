package dev.kaskade.workers.backend.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.workers.backend.ModelBatching;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.triton.proto.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TritonSignatureTest {
  static final ModelMetadata ONNX =
      new ModelMetadata(
          "file",
          "onnx_onnxv1",
          List.of(new TensorMetadata("input", DataType.FP32, List.of(-1L, 4L))),
          List.of(
              new TensorMetadata("output", DataType.FP32, List.of(-1L, 3L)),
              new TensorMetadata("label", DataType.INT64, List.of(-1L))));

  @Test
  void batchedModelsReportConfiguredDimsWithAVariableBatchDimensionInFront() throws Exception {
    ModelMetadata metadata =
        metadata(
            """
            max_batch_size: 8
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 4 ] } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 3 ] } ]
            """);

    assertThat(metadata.name()).isEqualTo("isvc");
    assertThat(metadata.inputs())
        .containsExactly(new TensorMetadata("input", DataType.FP32, List.of(-1L, 4L)));
    // Only the configured output is served.
    assertThat(metadata.outputs())
        .containsExactly(new TensorMetadata("output", DataType.FP32, List.of(-1L, 3L)));
  }

  @Test
  void withoutBatchingTheDimsAreTheFullShapeAndLeftOutTensorsComeFromTheModel() throws Exception {
    ModelMetadata metadata =
        metadata("input [ { name: \"input\" data_type: TYPE_FP32 dims: [ -1, 4 ] } ]");

    assertThat(metadata.inputs().get(0).shape()).containsExactly(-1L, 4L);
    assertThat(metadata.outputs()).isEqualTo(ONNX.outputs());
  }

  @Test
  void aNameTheModelFileDoesNotHaveIsRefusedListingTheRealOnes() {
    assertThatThrownBy(
            () -> metadata("input [ { name: \"features\" data_type: TYPE_FP32 dims: [ -1, 4 ] } ]"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("Triton model iris")
        .hasMessageContaining(
            "input 'features' is not an input of the model file (it has [input])");
  }

  @Test
  void aDataTypeOrDimsThatDisagreeWithTheModelFileAreRefused() {
    assertThatThrownBy(
            () -> metadata("input [ { name: \"input\" data_type: TYPE_FP64 dims: [ -1, 4 ] } ]"))
        .hasMessageContaining("input 'input' is TYPE_FP64 but the model file has FP32");
    assertThatThrownBy(
            () -> metadata("input [ { name: \"input\" data_type: TYPE_FP32 dims: [ -1, 5 ] } ]"))
        .hasMessageContaining("has dims [-1, 5] but the model file's shape is [-1, 4]");
    assertThatThrownBy(
            () ->
                metadata(
                    "max_batch_size: 4\n"
                        + "input [ { name: \"input\" data_type: TYPE_FP32 dims: [ -1, 4 ] } ]"))
        .hasMessageContaining("with max_batch_size > 0: shape [-1, -1, 4]");
  }

  @Test
  void reshapeAndAForeignFolderNameAreRefused() {
    assertThatThrownBy(
            () ->
                metadata(
                    "input [ { name: \"input\" data_type: TYPE_FP32 dims: [ -1, 4 ]"
                        + " reshape: { shape: [ 4 ] } } ]"))
        .hasMessageContaining("uses reshape");
    assertThatThrownBy(() -> metadata("name: \"other\""))
        .hasMessageContaining("name 'other' differs from the model's folder name iris");
  }

  @Test
  void batchingSettingsAreCheckedAsTritonChecksThem() throws Exception {
    assertThat(
            TritonSignature.batching(
                parse(
                    "max_batch_size: 8 dynamic_batching { preferred_batch_size: [4, 8]"
                        + " max_queue_delay_microseconds: 100 }"),
                "iris"))
        .isEqualTo(new ModelBatching(8, true, 100, List.of(4, 8)));
    assertThat(TritonSignature.batching(parse("max_batch_size: 8"), "iris"))
        .isEqualTo(new ModelBatching(8, false, 0, List.of()));
    assertThatThrownBy(() -> TritonSignature.batching(parse("dynamic_batching { }"), "iris"))
        .hasMessageContaining("dynamic_batching needs max_batch_size > 0");
    assertThatThrownBy(
            () ->
                TritonSignature.batching(
                    parse("max_batch_size: 4 dynamic_batching { preferred_batch_size: 8 }"),
                    "iris"))
        .hasMessageContaining("preferred_batch_size 8 is not between 1 and max_batch_size 4");
    assertThatThrownBy(() -> TritonSignature.batching(parse("max_batch_size: -1"), "iris"))
        .hasMessageContaining("max_batch_size must be >= 0");
    assertThatThrownBy(
            () ->
                TritonSignature.batching(
                    parse("sequence_batching { max_sequence_idle_microseconds: 5 }"), "iris"))
        .hasMessageContaining("sequence_batching");
  }

  private static ModelMetadata metadata(String config) throws ModelLoadException {
    return TritonSignature.metadata(parse(config), "iris", "isvc", ONNX);
  }

  private static ModelConfig parse(String text) throws ModelLoadException {
    return TritonConfigs.parse(text, "iris/config.pbtxt");
  }
}
