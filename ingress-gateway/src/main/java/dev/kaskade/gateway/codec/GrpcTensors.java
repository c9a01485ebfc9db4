package dev.kaskade.gateway.codec;

import com.google.protobuf.ByteString;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.gateway.grpc.proto.InferParameter;
import dev.kaskade.gateway.grpc.proto.InferTensorContents;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.gateway.grpc.proto.ModelInferResponse;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.schemas.tensor.Tensors;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Pure codec between the Open Inference Protocol gRPC messages and tensors. */
public final class GrpcTensors {
  private GrpcTensors() {}

  /** Decodes a ModelInferRequest; raw contents answer with raw contents. */
  public static V2Request decode(ModelInferRequest request) {
    boolean raw = request.getRawInputContentsCount() > 0;
    if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
      throw KaskadeException.invalid(
          "raw_input_contents has %d entries but there are %d inputs"
              .formatted(request.getRawInputContentsCount(), request.getInputsCount()));
    }
    if (request.getInputsCount() == 0) {
      throw KaskadeException.invalid("the request has no inputs");
    }
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < request.getInputsCount(); i++) {
      ModelInferRequest.InferInputTensor in = request.getInputs(i);
      inputs.add(raw ? rawInput(in, request.getRawInputContents(i)) : typedInput(in));
    }
    List<V2Request.RequestedOutput> outputs = new ArrayList<>();
    for (ModelInferRequest.InferRequestedOutputTensor o : request.getOutputsList()) {
      outputs.add(new V2Request.RequestedOutput(o.getName(), null));
    }
    String id = request.getId().isEmpty() ? UUID.randomUUID().toString() : request.getId();
    return new V2Request(id, inputs, parameters(request.getParametersMap()), outputs, raw);
  }

  private static Tensor rawInput(ModelInferRequest.InferInputTensor in, ByteString raw) {
    DataType type = datatype(in.getName(), in.getDatatype());
    if (in.hasContents()) {
      throw KaskadeException.invalid(
          "tensor '" + in.getName() + "': contents must be empty when raw_input_contents is used");
    }
    Tensor t =
        Tensor.newBuilder()
            .setName(in.getName())
            .setDatatype(type)
            .setShape(new ArrayList<>(in.getShapeList()))
            .setData(ByteBuffer.wrap(raw.toByteArray()))
            .setParameters(new HashMap<>(parameters(in.getParametersMap())))
            .build();
    Tensors.checkDataLength(t);
    return t;
  }

  private static Tensor typedInput(ModelInferRequest.InferInputTensor in) {
    DataType type = datatype(in.getName(), in.getDatatype());
    InferTensorContents c = in.getContents();
    List<?> elements =
        switch (type) {
          case BOOL -> c.getBoolContentsList();
          case INT8, INT16, INT32 -> c.getIntContentsList();
          case INT64 -> c.getInt64ContentsList();
          case UINT8, UINT16, UINT32 ->
              c.getUintContentsList().stream().map(v -> v & 0xffffffffL).toList();
          case UINT64 ->
              c.getUint64ContentsList().stream()
                  .map(v -> new BigInteger(Long.toUnsignedString(v)))
                  .toList();
          case FP32 -> c.getFp32ContentsList();
          case FP64 -> c.getFp64ContentsList();
          case BYTES -> c.getBytesContentsList().stream().map(ByteString::toByteArray).toList();
          case FP16, BF16 ->
              throw KaskadeException.invalid(
                  "tensor '%s': %s has no typed contents; use raw_input_contents"
                      .formatted(in.getName(), type));
        };
    Tensor t =
        TensorValues.tensor(in.getName(), type, new ArrayList<>(in.getShapeList()), elements);
    t.setParameters(new HashMap<>(parameters(in.getParametersMap())));
    return t;
  }

  /** Encodes a response; raw contents when asked or when an output has no typed field. */
  public static ModelInferResponse encode(
      InferenceResponse response, String model, V2Request request) {
    List<Tensor> outputs = selected(response.getOutputs(), request);
    boolean raw =
        request.binaryOutputs()
            || outputs.stream()
                .anyMatch(
                    t -> t.getDatatype() == DataType.FP16 || t.getDatatype() == DataType.BF16);
    ModelInferResponse.Builder b =
        ModelInferResponse.newBuilder()
            .setModelName(model)
            .setModelVersion(response.getModelVersion())
            .setId(request.id());
    response.getParameters().forEach((k, v) -> b.putParameters(k, stringParam(v)));
    for (Tensor t : outputs) {
      ModelInferResponse.InferOutputTensor.Builder o =
          ModelInferResponse.InferOutputTensor.newBuilder()
              .setName(t.getName())
              .setDatatype(t.getDatatype().name())
              .addAllShape(t.getShape());
      t.getParameters().forEach((k, v) -> o.putParameters(k, stringParam(v)));
      if (raw) {
        b.addRawOutputContents(ByteString.copyFrom(t.getData().duplicate()));
      } else {
        o.setContents(contents(t));
      }
      b.addOutputs(o);
    }
    return b.build();
  }

  private static InferTensorContents contents(Tensor t) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (Object e : TensorValues.decode(t)) {
      switch (t.getDatatype()) {
        case BOOL -> c.addBoolContents((Boolean) e);
        case INT8, INT16, INT32 -> c.addIntContents(((Long) e).intValue());
        case INT64 -> c.addInt64Contents((Long) e);
        case UINT8, UINT16, UINT32 -> c.addUintContents(((Long) e).intValue());
        case UINT64 -> c.addUint64Contents(((BigInteger) e).longValue());
        case FP32 -> c.addFp32Contents((Float) e);
        case FP64 -> c.addFp64Contents((Double) e);
        case BYTES -> c.addBytesContents(ByteString.copyFrom((byte[]) e));
        case FP16, BF16 -> throw new IllegalStateException("FP16/BF16 are sent raw");
      }
    }
    return c.build();
  }

  private static List<Tensor> selected(List<Tensor> outputs, V2Request request) {
    if (request.outputs().isEmpty()) {
      return outputs;
    }
    List<Tensor> out = new ArrayList<>();
    for (String name : request.outputNames()) {
      outputs.stream().filter(t -> t.getName().equals(name)).findFirst().ifPresent(out::add);
    }
    return out;
  }

  private static DataType datatype(String tensor, String name) {
    DataType type = DataTypes.parse(name);
    if (type == null) {
      throw KaskadeException.invalid("tensor '%s': unknown datatype '%s'".formatted(tensor, name));
    }
    return type;
  }

  /** InferParameters rendered as strings. */
  public static Map<String, String> parameters(Map<String, InferParameter> params) {
    Map<String, String> out = new HashMap<>();
    params.forEach(
        (k, p) ->
            out.put(
                k,
                switch (p.getParameterChoiceCase()) {
                  case BOOL_PARAM -> Boolean.toString(p.getBoolParam());
                  case INT64_PARAM -> Long.toString(p.getInt64Param());
                  case STRING_PARAM -> p.getStringParam();
                  case DOUBLE_PARAM -> Double.toString(p.getDoubleParam());
                  case UINT64_PARAM -> Long.toUnsignedString(p.getUint64Param());
                  case PARAMETERCHOICE_NOT_SET -> "";
                }));
    return out;
  }

  private static InferParameter stringParam(String value) {
    return InferParameter.newBuilder().setStringParam(value).build();
  }
}
