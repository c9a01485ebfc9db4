package dev.kaskade.gateway.codec;

import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.schemas.tensor.Tensors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pure codec of the Open Inference Protocol REST body, including the binary tensor data extension
 * (a JSON header of {@code Inference-Header-Content-Length} bytes followed by binary blocks).
 */
public final class V2Json {
  public static final String BINARY_DATA_SIZE = "binary_data_size";
  public static final String BINARY_DATA = "binary_data";
  public static final String BINARY_DATA_OUTPUT = "binary_data_output";

  private V2Json() {}

  /** An encoded response: the body and the JSON header length (-1 when no binary part). */
  public record Encoded(Buffer body, int headerLength) {}

  /**
   * Parses a request body. {@code headerLength} is the Inference-Header-Content-Length value or
   * null when the whole body is JSON.
   */
  public static V2Request parseRequest(Buffer body, Integer headerLength) {
    int jsonLength = headerLength == null ? body.length() : headerLength;
    if (jsonLength < 0 || jsonLength > body.length()) {
      throw KaskadeException.invalid(
          "Inference-Header-Content-Length "
              + jsonLength
              + " exceeds the body of "
              + body.length());
    }
    JsonObject json = parseObject(body.slice(0, jsonLength));
    JsonArray inputs = array(json, "inputs");
    if (inputs == null || inputs.isEmpty()) {
      throw KaskadeException.invalid(
          "Unrecognized request format: 'inputs' must be a non-empty array");
    }
    long offset = jsonLength;
    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      if (!(inputs.getValue(i) instanceof JsonObject input)) {
        throw KaskadeException.invalid("inputs[" + i + "] is not an object");
      }
      Tensor t = parseInput(input, body, (int) offset);
      // Sizes are checked against what is left of the body, so the sum never overflows.
      offset += binarySize(input);
      tensors.add(t);
    }
    if (offset != body.length()) {
      throw KaskadeException.invalid(
          "binary data of %d bytes does not match the binary_data_size total of %d"
              .formatted(body.length() - jsonLength, offset - jsonLength));
    }
    Map<String, String> params = parameters(json.getValue("parameters"), "request");
    boolean binaryOutputs = Boolean.parseBoolean(params.getOrDefault(BINARY_DATA_OUTPUT, "false"));
    String id =
        json.getValue("id") == null ? UUID.randomUUID().toString() : json.getValue("id").toString();
    return new V2Request(id, tensors, params, requestedOutputs(json), binaryOutputs);
  }

  private static Tensor parseInput(JsonObject input, Buffer body, int offset) {
    String name = input.getValue("name") instanceof String s ? s : null;
    if (name == null || name.isEmpty()) {
      throw KaskadeException.invalid("an input tensor has no name");
    }
    DataType type = DataTypes.parse(input.getValue("datatype") instanceof String s ? s : null);
    if (type == null) {
      throw KaskadeException.invalid(
          "tensor '%s': unknown datatype %s".formatted(name, input.getValue("datatype")));
    }
    List<Long> shape = shape(name, input.getValue("shape"));
    Map<String, String> params = parameters(input.getValue("parameters"), "tensor '" + name + "'");
    long binarySize = binarySize(input);
    if (binarySize >= 0 && params.containsKey(BINARY_DATA_SIZE)) {
      if (binarySize > body.length() - offset) {
        throw KaskadeException.invalid(
            "tensor '%s': binary_data_size %d exceeds the body".formatted(name, binarySize));
      }
      params.remove(BINARY_DATA_SIZE);
      Tensor t =
          Tensor.newBuilder()
              .setName(name)
              .setDatatype(type)
              .setShape(shape)
              .setData(ByteBuffer.wrap(body.getBytes(offset, (int) (offset + binarySize))))
              .setParameters(new HashMap<>(params))
              .build();
      Tensors.checkDataLength(t);
      return t;
    }
    if (type == DataType.FP16 || type == DataType.BF16) {
      throw KaskadeException.invalid(
          "tensor '%s': %s data has no JSON form; use the binary tensor data extension"
              .formatted(name, type));
    }
    Object data = input.getValue("data");
    if (!(data instanceof JsonArray array)) {
      throw KaskadeException.invalid("tensor '" + name + "': 'data' must be an array");
    }
    Tensor t = TensorValues.tensor(name, type, shape, JsonData.flatten(array));
    t.setParameters(new HashMap<>(params));
    return t;
  }

  private static long binarySize(JsonObject input) {
    if (input.getValue("parameters") instanceof JsonObject p
        && p.getValue(BINARY_DATA_SIZE) instanceof Number n) {
      // A body is at most an int long, so any valid size is an int too.
      if (n.doubleValue() < 0
          || n.doubleValue() > Integer.MAX_VALUE
          || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw KaskadeException.invalid(
            "binary_data_size must be a whole number of bytes between 0 and the body size, got "
                + n);
      }
      return n.longValue();
    }
    return 0;
  }

  private static List<Long> shape(String name, Object value) {
    if (!(value instanceof JsonArray dims)) {
      throw KaskadeException.invalid("tensor '" + name + "': 'shape' must be an array");
    }
    List<Long> shape = new ArrayList<>();
    for (int i = 0; i < dims.size(); i++) {
      if (!(dims.getValue(i) instanceof Number n)
          || n.doubleValue() != Math.rint(n.doubleValue())
          || n.longValue() < 0) {
        throw KaskadeException.invalid(
            "tensor '%s': shape %s must hold non-negative integers"
                .formatted(name, Tensors.abbreviated(dims.getList())));
      }
      shape.add(n.longValue());
    }
    return shape;
  }

  private static List<V2Request.RequestedOutput> requestedOutputs(JsonObject json) {
    List<V2Request.RequestedOutput> outputs = new ArrayList<>();
    JsonArray array = array(json, "outputs");
    if (array == null) {
      return outputs;
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)
          || !(o.getValue("name") instanceof String n)) {
        throw KaskadeException.invalid("outputs[" + i + "] needs a name");
      }
      Boolean binary = null;
      if (o.getValue("parameters") instanceof JsonObject p && p.getValue(BINARY_DATA) != null) {
        binary = Boolean.parseBoolean(p.getValue(BINARY_DATA).toString());
      }
      outputs.add(new V2Request.RequestedOutput(n, binary));
    }
    return outputs;
  }

  /** Parameter values rendered as strings (the Avro events carry string maps). */
  public static Map<String, String> parameters(Object value, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonObject p)) {
      throw KaskadeException.invalid("parameters of " + where + " must be an object");
    }
    for (String key : p.fieldNames()) {
      Object v = p.getValue(key);
      if (v instanceof JsonObject || v instanceof JsonArray) {
        throw KaskadeException.invalid(
            "parameter '%s' of %s must be a string, number or boolean".formatted(key, where));
      }
      out.put(key, String.valueOf(v));
    }
    return out;
  }

  /** Encodes a response; outputs are filtered to the requested ones and binary where asked. */
  public static Encoded encodeResponse(
      InferenceResponse response, String model, V2Request request) {
    JsonObject json = new JsonObject().put("model_name", model);
    json.put("model_version", response.getModelVersion());
    json.put("id", request.id());
    if (!response.getParameters().isEmpty()) {
      json.put("parameters", new JsonObject(new LinkedHashMap<>(response.getParameters())));
    }
    JsonArray outputs = new JsonArray();
    List<ByteBuffer> blocks = new ArrayList<>();
    for (Tensor t : selected(response.getOutputs(), request)) {
      JsonObject o =
          new JsonObject()
              .put("name", t.getName())
              .put("datatype", t.getDatatype().name())
              .put("shape", new JsonArray(new ArrayList<>(t.getShape())));
      JsonObject params = new JsonObject(new LinkedHashMap<>(t.getParameters()));
      if (wantsBinary(t, request)) {
        ByteBuffer data = t.getData().duplicate();
        params.put(BINARY_DATA_SIZE, data.remaining());
        blocks.add(data);
      } else {
        o.put("data", JsonData.toJson(TensorValues.decode(t)));
      }
      if (!params.isEmpty()) {
        o.put("parameters", params);
      }
      outputs.add(o);
    }
    json.put("outputs", outputs);
    Buffer body = json.toBuffer();
    if (blocks.isEmpty()) {
      return new Encoded(body, -1);
    }
    int headerLength = body.length();
    for (ByteBuffer block : blocks) {
      byte[] bytes = new byte[block.remaining()];
      block.get(bytes);
      body.appendBytes(bytes);
    }
    return new Encoded(body, headerLength);
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

  private static boolean wantsBinary(Tensor t, V2Request request) {
    if (t.getDatatype() == DataType.FP16 || t.getDatatype() == DataType.BF16) {
      return true;
    }
    for (V2Request.RequestedOutput o : request.outputs()) {
      if (o.name().equals(t.getName()) && o.binary() != null) {
        return o.binary();
      }
    }
    return request.binaryOutputs();
  }

  static JsonObject parseObject(Buffer json) {
    try {
      Object value = io.vertx.core.json.Json.decodeValue(json);
      if (value instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException e) {
      throw KaskadeException.invalid("Unrecognized request format: " + e.getMessage());
    }
    throw KaskadeException.invalid("Unrecognized request format: the body is not a JSON object");
  }

  private static JsonArray array(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (v instanceof JsonArray a) {
      return a;
    }
    throw KaskadeException.invalid("Unrecognized request format: '" + key + "' must be an array");
  }
}
