package dev.kaskade.gateway.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.gateway.grpc.proto.InferParameter;
import dev.kaskade.gateway.grpc.proto.InferTensorContents;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.gateway.grpc.proto.ModelInferResponse;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcTensorsTest {
  static {
    dev.kaskade.schemas.serde.AvroTrust.install();
  }

  private static ModelInferRequest.InferInputTensor.Builder tensor(String type, long... shape) {
    var b = ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype(type);
    for (long d : shape) {
      b.addShape(d);
    }
    return b;
  }

  @Test
  void typedContentsOfEachFieldDecode() {
    var request =
        ModelInferRequest.newBuilder()
            .addInputs(
                tensor("UINT8", 2)
                    .setContents(
                        InferTensorContents.newBuilder().addUintContents(0).addUintContents(255)))
            .addInputs(
                tensor("BYTES", 1)
                    .setName("s")
                    .setContents(
                        InferTensorContents.newBuilder()
                            .addBytesContents(ByteString.copyFromUtf8("hi"))))
            .putParameters("p", InferParameter.newBuilder().setUint64Param(-1L).build())
            .build();

    V2Request decoded = GrpcTensors.decode(request);

    assertThat(Tensors.toDoubles(decoded.inputs().get(0))).containsExactly(0, 255);
    assertThat(new String(Tensors.toByteElements(decoded.inputs().get(1)).get(0))).isEqualTo("hi");
    assertThat(decoded.parameters()).containsEntry("p", "18446744073709551615");
    assertThat(decoded.binaryOutputs()).isFalse();
  }

  @Test
  void fp16NeedsRawContentsAndRawCountMustMatch() {
    var typedFp16 = ModelInferRequest.newBuilder().addInputs(tensor("FP16", 1)).build();
    assertThatThrownBy(() -> GrpcTensors.decode(typedFp16))
        .hasMessageContaining("raw_input_contents");

    var mismatch =
        ModelInferRequest.newBuilder()
            .addInputs(tensor("FP16", 1))
            .addRawInputContents(ByteString.copyFrom(new byte[2]))
            .addRawInputContents(ByteString.copyFrom(new byte[2]))
            .build();
    assertThatThrownBy(() -> GrpcTensors.decode(mismatch)).hasMessageContaining("2 entries");
  }

  @Test
  void rawRequestsGetRawResponses() {
    var request =
        ModelInferRequest.newBuilder()
            .setId("r")
            .addInputs(tensor("INT64", 1))
            .addRawInputContents(ByteString.copyFrom(new byte[8]))
            .build();
    V2Request decoded = GrpcTensors.decode(request);
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setId("r")
            .setModel("m")
            .setModelVersion("v1")
            .setOutputs(List.of(Tensors.ofLongs("y", List.of(1L), new long[] {42})))
            .build();

    ModelInferResponse encoded = GrpcTensors.encode(response, "m", decoded);

    assertThat(encoded.getModelVersion()).isEqualTo("v1");
    assertThat(encoded.getOutputs(0).hasContents()).isFalse();
    assertThat(
            encoded
                .getRawOutputContents(0)
                .asReadOnlyByteBuffer()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong())
        .isEqualTo(42);
  }

  @Test
  void shouldCarryResponseParametersAsStringParams() {
    V2Request decoded =
        GrpcTensors.decode(
            ModelInferRequest.newBuilder()
                .setId("r")
                .addInputs(tensor("INT64", 1))
                .addRawInputContents(ByteString.copyFrom(new byte[8]))
                .build());
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setId("r")
            .setModel("m")
            .setParameters(
                new java.util.HashMap<>(
                    java.util.Map.of("outlier_score", "0.25", "outlier", "false")))
            .setOutputs(List.of(Tensors.ofLongs("y", List.of(1L), new long[] {42})))
            .build();

    ModelInferResponse encoded = GrpcTensors.encode(response, "m", decoded);

    assertThat(encoded.getParametersMap().get("outlier_score").getStringParam()).isEqualTo("0.25");
    assertThat(encoded.getParametersMap().get("outlier").getStringParam()).isEqualTo("false");
  }
}
