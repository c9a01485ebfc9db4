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

  /**
   * Default of the largest rank {@link #validateShape} accepts. ONNX, TensorRT and NumPy models use
   * at most 8 dimensions in practice (TensorRT's own limit is 8); 16 leaves room and still keeps
   * recursive per-dimension code (JSON nesting, row builders) shallow.
   */
  public static final int DEFAULT_MAX_RANK = 16;

  /** Product of the dimensions; rejects negative dimensions and products over a long (400). */
  public static long elementCount(List<Long> shape) {
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw KaskadeException.invalid("shape " + shape + " has a negative dimension");
      }
      try {
        count = Math.multiplyExact(count, dim);
      } catch (ArithmeticException e) {
        throw KaskadeException.invalid("shape " + abbreviated(shape) + " has too many elements");
      }
    }
    return count;
  }

  /** {@link #validateShape(String, List, int)} with {@link #DEFAULT_MAX_RANK}. */
  public static long validateShape(String name, List<Long> shape) {
    return validateShape(name, shape, DEFAULT_MAX_RANK);
  }

  /**
   * The one shape check of the data plane, done before any code allocates or recurses per
   * dimension: at most {@code maxRank} dimensions, none negative, the element count fits a long,
   * and no dimension exceeds {@code max(1, elementCount)}. The last rule refuses shapes that
   * describe little or no data but make loops run long, such as {@code [2147483647, 0]} (zero
   * elements, two billion empty rows) or a hundred thousand ones. Throws INVALID_ARGUMENT naming
   * the tensor; returns the element count.
   */
  public static long validateShape(String name, List<Long> shape, int maxRank) {
    if (shape.size() > maxRank) {
      throw KaskadeException.invalid(
          "tensor '%s': shape has %d dimensions, more than the limit of %d"
              .formatted(name, shape.size(), maxRank));
    }
    long count;
    try {
      count = elementCount(shape);
    } catch (KaskadeException e) {
      throw KaskadeException.invalid("tensor '" + name + "': " + e.getMessage());
    }
    long bound = Math.max(1, count);
    for (long dim : shape) {
      if (dim > bound) {
        throw KaskadeException.invalid(
            "tensor '%s': dimension %d of shape %s exceeds its element count %d"
                .formatted(name, dim, abbreviated(shape), count));
      }
    }
    return count;
  }

  /** Bytes of {@code elements} fixed-size elements of {@code type}; 400 when over a long. */
  public static long byteSize(String name, long elements, DataType type) {
    try {
      return Math.multiplyExact(elements, (long) DataTypes.elementSize(type));
    } catch (ArithmeticException e) {
      throw KaskadeException.invalid(
          "tensor '%s': %d elements of %s do not fit in memory".formatted(name, elements, type));
    }
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
      long expectedBytes = byteSize(tensor.getName(), expected, tensor.getDatatype());
      if (data.remaining() != expectedBytes) {
        throw KaskadeException.invalid(
            "tensor '%s': shape %s of %s needs %d bytes, got %d"
                .formatted(
                    tensor.getName(),
                    abbreviated(tensor.getShape()),
                    tensor.getDatatype(),
                    expectedBytes,
                    data.remaining()));
      }
      return;
    }
    long count = countBytesElements(tensor.getName(), data);
    if (count != expected) {
      throw KaskadeException.invalid(
          "tensor '%s': shape %s needs %d BYTES elements, got %d"
              .formatted(tensor.getName(), abbreviated(tensor.getShape()), expected, count));
    }
  }

  /**
   * The number of length-prefixed elements in BYTES data, walking the prefixes without copying any
   * element; throws INVALID_ARGUMENT when a prefix is truncated or runs past the data.
   */
  public static long countBytesElements(String name, ByteBuffer data) {
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long count = 0;
    while (in.hasRemaining()) {
      int length = nextBytesLength(name, in);
      in.position(in.position() + length);
      count++;
    }
    return count;
  }

  /**
   * A shape for messages: long ones (a rank far over the limit) are cut after 20 dimensions, so an
   * error message (an HTTP body, a gRPC status header) stays small.
   */
  public static String abbreviated(List<?> shape) {
    if (shape.size() <= 20) {
      return shape.toString();
    }
    return shape.subList(0, 20).toString().replace("]", ", ... (" + shape.size() + " dims)]");
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
      byte[] element = new byte[nextBytesLength(name, in)];
      in.get(element);
      elements.add(element);
    }
    return elements;
  }

  /** Reads one BYTES length prefix and checks the element fits in what remains. */
  private static int nextBytesLength(String name, ByteBuffer in) {
    if (in.remaining() < 4) {
      throw KaskadeException.invalid("tensor '" + name + "': truncated BYTES length prefix");
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw KaskadeException.invalid(
          "tensor '" + name + "': BYTES element of " + length + " bytes exceeds the data");
    }
    return length;
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
