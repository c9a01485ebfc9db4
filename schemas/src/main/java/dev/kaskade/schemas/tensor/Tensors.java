package dev.kaskade.schemas.tensor;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Pure codecs between tensors (raw little-endian row-major bytes) and Java arrays. */
public final class Tensors {
  private Tensors() {}

  /** Product of the dimensions; rejects negative dimensions. */
  public static long elementCount(List<Long> shape) {
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw KaskadeException.invalid("shape " + shape + " has a negative dimension");
      }
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  /**
   * Checks that the data length matches shape × element size (for BYTES: that the length-prefixed
   * elements fill the data exactly and their count matches the shape).
   */
  public static void checkDataLength(Tensor tensor) {
    long expected = elementCount(tensor.getShape());
    int size = DataTypes.elementSize(tensor.getDatatype());
    ByteBuffer data = tensor.getData().duplicate();
    if (size > 0) {
      long expectedBytes = expected * size;
      if (data.remaining() != expectedBytes) {
        throw KaskadeException.invalid(
            "tensor '%s': shape %s of %s needs %d bytes, got %d"
                .formatted(
                    tensor.getName(),
                    tensor.getShape(),
                    tensor.getDatatype(),
                    expectedBytes,
                    data.remaining()));
      }
      return;
    }
    long count = splitBytes(tensor.getName(), data).size();
    if (count != expected) {
      throw KaskadeException.invalid(
          "tensor '%s': shape %s needs %d BYTES elements, got %d"
              .formatted(tensor.getName(), tensor.getShape(), expected, count));
    }
  }

  public static Tensor ofFloats(String name, List<Long> shape, float[] values) {
    ByteBuffer buffer = allocate(values.length * 4L);
    buffer.asFloatBuffer().put(values);
    return tensor(name, DataType.FP32, shape, buffer);
  }

  public static Tensor ofDoubles(String name, List<Long> shape, double[] values) {
    ByteBuffer buffer = allocate(values.length * 8L);
    buffer.asDoubleBuffer().put(values);
    return tensor(name, DataType.FP64, shape, buffer);
  }

  public static Tensor ofLongs(String name, List<Long> shape, long[] values) {
    ByteBuffer buffer = allocate(values.length * 8L);
    buffer.asLongBuffer().put(values);
    return tensor(name, DataType.INT64, shape, buffer);
  }

  public static Tensor ofInts(String name, List<Long> shape, int[] values) {
    ByteBuffer buffer = allocate(values.length * 4L);
    buffer.asIntBuffer().put(values);
    return tensor(name, DataType.INT32, shape, buffer);
  }

  public static Tensor ofStrings(String name, List<Long> shape, List<String> values) {
    List<byte[]> encoded = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
    long total = encoded.stream().mapToLong(b -> 4L + b.length).sum();
    ByteBuffer buffer = allocate(total);
    for (byte[] element : encoded) {
      buffer.putInt(element.length).put(element);
    }
    buffer.flip();
    return tensor(name, DataType.BYTES, shape, buffer);
  }

  /** The elements of a numeric tensor widened to double, in row-major order. */
  public static double[] toDoubles(Tensor tensor) {
    ByteBuffer data = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int size = DataTypes.elementSize(tensor.getDatatype());
    if (size <= 0) {
      throw KaskadeException.invalid("tensor '" + tensor.getName() + "' is not numeric");
    }
    double[] out = new double[data.remaining() / size];
    for (int i = 0; i < out.length; i++) {
      out[i] = readAsDouble(tensor.getDatatype(), data);
    }
    return out;
  }

  /** The elements of an FP32 tensor. */
  public static float[] toFloats(Tensor tensor) {
    if (tensor.getDatatype() != DataType.FP32) {
      double[] doubles = toDoubles(tensor);
      float[] floats = new float[doubles.length];
      for (int i = 0; i < doubles.length; i++) {
        floats[i] = (float) doubles[i];
      }
      return floats;
    }
    ByteBuffer data = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[data.remaining() / 4];
    data.asFloatBuffer().get(out);
    return out;
  }

  /** The elements of a BYTES tensor. */
  public static List<byte[]> toByteElements(Tensor tensor) {
    return splitBytes(tensor.getName(), tensor.getData().duplicate());
  }

  private static List<byte[]> splitBytes(String name, ByteBuffer data) {
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> elements = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 4) {
        throw KaskadeException.invalid("tensor '" + name + "': truncated BYTES length prefix");
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw KaskadeException.invalid(
            "tensor '" + name + "': BYTES element of " + length + " bytes exceeds the data");
      }
      byte[] element = new byte[length];
      in.get(element);
      elements.add(element);
    }
    return elements;
  }

  private static double readAsDouble(DataType type, ByteBuffer in) {
    return switch (type) {
      case BOOL, INT8 -> in.get();
      case UINT8 -> in.get() & 0xff;
      case INT16 -> in.getShort();
      case UINT16 -> in.getShort() & 0xffff;
      case INT32 -> in.getInt();
      case UINT32 -> in.getInt() & 0xffffffffL;
      case INT64 -> in.getLong();
      case UINT64 -> unsignedToDouble(in.getLong());
      case FP16 -> Float.float16ToFloat(in.getShort());
      case BF16 -> Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
      case FP32 -> in.getFloat();
      case FP64 -> in.getDouble();
      case BYTES -> throw new IllegalStateException("BYTES is not numeric");
    };
  }

  private static double unsignedToDouble(long value) {
    double d = (double) (value >>> 1) * 2.0;
    return d + (value & 1);
  }

  private static ByteBuffer allocate(long bytes) {
    if (bytes > Integer.MAX_VALUE) {
      throw KaskadeException.invalid("tensor of " + bytes + " bytes is too large");
    }
    return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static Tensor tensor(String name, DataType type, List<Long> shape, ByteBuffer data) {
    data.rewind();
    return Tensor.newBuilder()
        .setName(name)
        .setDatatype(type)
        .setShape(new ArrayList<>(shape))
        .setData(data)
        .build();
  }
}
