package dev.kaskade.workers.backend.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.bridge.grpc.InferTensorContents;
import dev.kaskade.workers.backend.bridge.grpc.ModelInferRequest;
import dev.kaskade.workers.backend.bridge.grpc.ModelInferResponse;
import dev.kaskade.workers.backend.bridge.grpc.ModelMetadataResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Tensors as OIP gRPC messages. Requests carry {@code raw_input_contents}, which is exactly
 * Kaskade's tensor layout (little-endian, BYTES with 4-byte length prefixes); answers are read from
 * {@code raw_output_contents} or, when a server fills typed {@code contents}, from those. Pure.
 */
final class GrpcBridgeTensors {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GrpcBridgeTensors() {}

  static ModelInferRequest request(
      String model, List<Tensor> inputs, Collection<String> requestedOutputs) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    for (Tensor input : inputs) {
      request
          .addInputsBuilder()
          .setName(input.getName())
          .setDatatype(input.getDatatype().name())
          .addAllShape(input.getShape());
      request.addRawInputContents(ByteString.copyFrom(input.getData().duplicate()));
    }
    requestedOutputs.forEach(name -> request.addOutputsBuilder().setName(name));
    return request.build();
  }

  static List<Tensor> outputs(ModelInferResponse response) {
    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
      DataType type = DataTypes.parse(output.getDatatype());
      if (type == null) {
        throw new KaskadeException(
            Reason.INTERNAL,
            "output '" + output.getName() + "' has datatype " + output.getDatatype());
      }
      if (i < response.getRawOutputContentsCount()) {
        tensors.add(
            Tensor.newBuilder()
                .setName(output.getName())
                .setDatatype(type)
                .setShape(output.getShapeList())
                .setData(ByteBuffer.wrap(response.getRawOutputContents(i).toByteArray()))
                .build());
      } else {
        tensors.add(
            JsonTensors.tensor(
                output.getName(), type, output.getShapeList(), leaves(output.getContents())));
      }
    }
    return tensors;
  }

  /** Typed contents as values, whichever field the server filled. */
  static List<JsonNode> leaves(InferTensorContents c) {
    List<JsonNode> out = new ArrayList<>();
    c.getBoolContentsList().forEach(v -> out.add(NODES.booleanNode(v)));
    c.getIntContentsList().forEach(v -> out.add(NODES.numberNode(v)));
    c.getInt64ContentsList().forEach(v -> out.add(NODES.numberNode(v)));
    c.getUintContentsList().forEach(v -> out.add(NODES.numberNode(Integer.toUnsignedLong(v))));
    c.getUint64ContentsList().forEach(v -> out.add(NODES.numberNode(v)));
    c.getFp32ContentsList().forEach(v -> out.add(NODES.numberNode(v)));
    c.getFp64ContentsList().forEach(v -> out.add(NODES.numberNode(v)));
    c.getBytesContentsList()
        .forEach(v -> out.add(NODES.textNode(v.toString(StandardCharsets.UTF_8))));
    return out;
  }

  static ModelMetadata metadata(ModelMetadataResponse response, String model) {
    List<TensorMetadata> inputs = tensors(response.getInputsList());
    List<TensorMetadata> outputs = tensors(response.getOutputsList());
    return new ModelMetadata(
        model,
        response.getPlatform().isEmpty() ? "kaskade-bridge" : response.getPlatform(),
        inputs == null || outputs == null ? List.of() : inputs,
        inputs == null || outputs == null ? List.of() : outputs);
  }

  /** Null when a datatype is not an OIP one: then the server validates. */
  private static List<TensorMetadata> tensors(List<ModelMetadataResponse.TensorMetadata> list) {
    List<TensorMetadata> out = new ArrayList<>();
    for (ModelMetadataResponse.TensorMetadata t : list) {
      DataType type = DataTypes.parse(t.getDatatype());
      if (type == null) {
        return null;
      }
      out.add(new TensorMetadata(t.getName(), type, t.getShapeList()));
    }
    return out;
  }
}
