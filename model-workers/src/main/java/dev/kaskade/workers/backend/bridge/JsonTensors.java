package dev.kaskade.workers.backend.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.schemas.tensor.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** JSON values of a model server's answer as tensors: shape of nested arrays, flat values. Pure. */
final class JsonTensors {
  private JsonTensors() {}

  /** The shape of a (rectangular) nested array; a scalar has shape []. */
  static List<Long> shapeOf(JsonNode node) {
    List<Long> shape = new ArrayList<>();
    JsonNode level = node;
    while (level.isArray()) {
      shape.add((long) level.size());
      if (level.isEmpty()) {
        break;
      }
      level = level.get(0);
    }
    return shape;
  }

  /** The leaves of a nested array in row-major order. */
  static List<JsonNode> flatten(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    flatten(node, out);
    return out;
  }

  private static void flatten(JsonNode node, List<JsonNode> out) {
    if (node.isArray()) {
      node.forEach(child -> flatten(child, out));
    } else {
      out.add(node);
    }
  }

  /** The datatype JSON leaves suggest: BOOL, INT64, FP64, else BYTES (strings, objects). */
  static DataType inferType(List<JsonNode> leaves) {
    boolean allBool = !leaves.isEmpty();
    boolean allIntegral = !leaves.isEmpty();
    boolean allNumber = true;
    for (JsonNode leaf : leaves) {
      allBool &= leaf.isBoolean();
      allIntegral &= leaf.isIntegralNumber();
      allNumber &= leaf.isNumber();
    }
    if (allBool) {
      return DataType.BOOL;
    }
    if (allIntegral) {
      return DataType.INT64;
    }
    return allNumber && !leaves.isEmpty() ? DataType.FP64 : DataType.BYTES;
  }

  /** Encodes flat JSON leaves as a tensor of {@code type} (raw little-endian layout). */
  static Tensor tensor(String name, DataType type, List<Long> shape, List<JsonNode> leaves) {
    long expected = Tensors.elementCount(shape);
    if (expected != leaves.size()) {
      throw new KaskadeException(
          dev.kaskade.schemas.error.Reason.INTERNAL,
          "model server output '%s': shape %s needs %d values, got %d"
              .formatted(name, shape, expected, leaves.size()));
    }
    if (type == DataType.BYTES) {
      return Tensors.ofStrings(
          name,
          shape,
          leaves.stream().map(l -> l.isTextual() ? l.asText() : l.toString()).toList());
    }
    ByteBuffer data =
        ByteBuffer.allocate(leaves.size() * DataTypes.elementSize(type))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode leaf : leaves) {
      put(data, type, leaf);
    }
    data.flip();
    return Tensor.newBuilder()
        .setName(name)
        .setDatatype(type)
        .setShape(shape)
        .setData(data)
        .build();
  }

  private static void put(ByteBuffer data, DataType type, JsonNode leaf) {
    double d = leaf.isBoolean() ? (leaf.asBoolean() ? 1 : 0) : leaf.asDouble();
    long l = leaf.isBoolean() ? (leaf.asBoolean() ? 1 : 0) : leaf.asLong();
    switch (type) {
      case BOOL, UINT8, INT8 -> data.put((byte) l);
      case UINT16, INT16 -> data.putShort((short) l);
      case UINT32, INT32 -> data.putInt((int) l);
      case UINT64, INT64 -> data.putLong(l);
      case FP16 -> data.putShort(Float.floatToFloat16((float) d));
      case BF16 -> data.putShort((short) (Float.floatToRawIntBits((float) d) >>> 16));
      case FP32 -> data.putFloat((float) d);
      case FP64 -> data.putDouble(d);
      case BYTES -> throw new IllegalArgumentException("BYTES is encoded apart");
    }
  }
}
