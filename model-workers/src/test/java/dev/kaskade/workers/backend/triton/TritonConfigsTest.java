package dev.kaskade.workers.backend.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.triton.proto.ModelConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TritonConfigsTest {
  static final Path EXAMPLE =
      Path.of("..", "examples", "triton", "model_repository", "iris-triton");

  @Test
  void theExampleConfigReadsItsNamesBatchingAndPolicy() throws Exception {
    ModelConfig config = TritonConfigs.read(EXAMPLE);

    assertThat(config.getName()).isEqualTo("iris-triton");
    assertThat(config.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(config.getMaxBatchSize()).isEqualTo(8);
    assertThat(config.getInput(0).getName()).isEqualTo("input");
    assertThat(config.getInput(0).getDimsList()).containsExactly(4L);
    assertThat(TritonConfigs.dataType(config.getOutput(0).getDataType())).isEqualTo(DataType.FP32);
    assertThat(config.getDynamicBatching().getPreferredBatchSizeList()).containsExactly(4, 8);
    assertThat(config.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(2000);
    assertThat(config.getInstanceGroup(0).getCount()).isEqualTo(1);
    assertThat(config.getVersionPolicy().hasLatest()).isTrue();
  }

  @Test
  void fieldsKaskadeDoesNotReadAreAcceptedAndIgnored() throws Exception {
    ModelConfig config =
        TritonConfigs.parse(
            """
            name: "m"
            backend: "onnxruntime"
            max_batch_size: 4
            model_transaction_policy { decoupled: false }
            optimization { execution_accelerators { gpu_execution_accelerator: [ { name: "tensorrt" } ] } }
            parameters { key: "k" value: { string_value: "v" } }
            input [ { name: "x", data_type: TYPE_INT64, format: FORMAT_NONE, dims: [ -1 ] } ]
            output [ { name: "y", data_type: TYPE_FP32, dims: [ 2 ], label_filename: "labels.txt" } ]
            instance_group [ { count: 2, kind: KIND_GPU, gpus: [ 0, 1 ] } ]
            dynamic_batching { preserve_ordering: true }
            """,
            "m/config.pbtxt");

    assertThat(config.getBackend()).isEqualTo("onnxruntime");
    assertThat(config.getInput(0).getDimsList()).containsExactly(-1L);
    assertThat(config.hasDynamicBatching()).isTrue();
  }

  @Test
  void aSyntaxErrorNamesTheFileAndLine() {
    assertThatThrownBy(
            () -> TritonConfigs.parse("name: \"m\"\nmax_batch_size: eight\n", "m/config.pbtxt"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("m/config.pbtxt is not a valid Triton model configuration (line 2");
  }

  @Test
  void anUnknownDataTypeIsAnError() {
    assertThatThrownBy(
            () ->
                TritonConfigs.parse(
                    "input [ { name: \"x\" data_type: TYPE_FLOAT dims: [4] } ]", "m/config.pbtxt"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("TYPE_FLOAT");
  }
}
