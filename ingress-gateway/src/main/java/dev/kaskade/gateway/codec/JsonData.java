package dev.kaskade.gateway.codec;

import dev.kaskade.schemas.error.KaskadeException;
import io.vertx.core.json.JsonArray;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Pure helpers between JSON arrays (nested or flat) and flat element lists. */
public final class JsonData {
  private JsonData() {}

  /** Flattens nested arrays row-major. */
  public static List<Object> flatten(JsonArray data) {
    List<Object> out = new ArrayList<>();
    flattenInto(data, out);
    return out;
  }

  private static void flattenInto(JsonArray data, List<Object> out) {
    for (int i = 0; i < data.size(); i++) {
      Object v = data.getValue(i);
      if (v instanceof JsonArray nested) {
        flattenInto(nested, out);
      } else {
        out.add(v);
      }
    }
  }

  /** The shape of a rectangular nested array; throws when rows differ in length. */
  public static List<Long> shapeOf(String tensor, JsonArray data) {
    List<Long> shape = new ArrayList<>();
    Object level = data;
    while (level instanceof JsonArray array) {
      shape.add((long) array.size());
      level = array.isEmpty() ? null : array.getValue(0);
    }
    checkRectangular(tensor, data, shape, 0);
    return shape;
  }

  private static void checkRectangular(String tensor, Object node, List<Long> shape, int depth) {
    if (depth == shape.size()) {
      if (node instanceof JsonArray) {
        throw KaskadeException.invalid("tensor '" + tensor + "': rows are not rectangular");
      }
      return;
    }
    if (!(node instanceof JsonArray array) || array.size() != shape.get(depth)) {
      throw KaskadeException.invalid("tensor '" + tensor + "': rows are not rectangular");
    }
    for (int i = 0; i < array.size(); i++) {
      checkRectangular(tensor, array.getValue(i), shape, depth + 1);
    }
  }

  /** Elements as JSON values: byte[] becomes a UTF-8 string, UINT64 a number. */
  public static JsonArray toJson(List<Object> elements) {
    JsonArray out = new JsonArray(new ArrayList<>(elements.size()));
    for (Object e : elements) {
      out.add(jsonValue(e));
    }
    return out;
  }

  /** Nests flat elements to the shape (row-major); a scalar shape gives the single element. */
  public static Object nest(List<Object> elements, List<Long> shape) {
    if (shape.isEmpty()) {
      return elements.isEmpty() ? null : jsonValue(elements.get(0));
    }
    return nestFrom(elements, shape, 0, 0);
  }

  private static JsonArray nestFrom(List<Object> elements, List<Long> shape, int dim, int offset) {
    JsonArray out = new JsonArray();
    long stride = 1;
    for (int d = dim + 1; d < shape.size(); d++) {
      stride *= shape.get(d);
    }
    for (int i = 0; i < shape.get(dim); i++) {
      int start = (int) (offset + i * stride);
      if (dim == shape.size() - 1) {
        out.add(start < elements.size() ? jsonValue(elements.get(start)) : null);
      } else {
        out.add(nestFrom(elements, shape, dim + 1, start));
      }
    }
    return out;
  }

  private static Object jsonValue(Object e) {
    return switch (e) {
      case byte[] b -> new String(b, StandardCharsets.UTF_8);
      case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b;
      default -> e;
    };
  }
}
