package dev.kaskade.gateway.codec;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.schemas.tensor.Tensors;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure conversion between element lists (Boolean, Number, String or byte[]) and the raw
 * little-endian row-major bytes of a tensor, with range and type checks that name the tensor.
 */
public final class TensorValues {
  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private TensorValues() {}

  /** Builds a tensor from flat elements, checking the element count against the shape. */
  public static Tensor tensor(String name, DataType type, List<Long> shape, List<?> elements) {
    long expected = Tensors.elementCount(shape);
    if (expected != elements.size()) {
      throw KaskadeException.invalid(
          "tensor '%s': shape %s needs %d elements, got %d"
              .formatted(name, Tensors.abbreviated(shape), expected, elements.size()));
    }
    return Tensor.newBuilder()
        .setName(name)
        .setDatatype(type)
        .setShape(new ArrayList<>(shape))
        .setData(encode(name, type, elements))
        .build();
  }

  /** Flat elements as raw bytes of the datatype. */
  public static ByteBuffer encode(String name, DataType type, List<?> elements) {
    if (type == DataType.BYTES) {
      return encodeBytes(name, elements);
    }
    int size = DataTypes.elementSize(type);
    ByteBuffer out = ByteBuffer.allocate(size * elements.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (Object e : elements) {
      put(name, type, e, out);
    }
    out.flip();
    return out;
  }

  /**
   * The elements of a tensor: Boolean (BOOL), Long (signed and unsigned up to 32 bits, INT64),
   * BigInteger (UINT64), Float (FP16, BF16, FP32), Double (FP64), byte[] (BYTES).
   */
  public static List<Object> decode(Tensor tensor) {
    DataType type = tensor.getDatatype();
    if (type == DataType.BYTES) {
      return new ArrayList<>(Tensors.toByteElements(tensor));
    }
    ByteBuffer in = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int size = DataTypes.elementSize(type);
    List<Object> out = new ArrayList<>(in.remaining() / size);
    while (in.remaining() >= size) {
      out.add(read(type, in));
    }
    return out;
  }

  private static Object read(DataType type, ByteBuffer in) {
    return switch (type) {
      case BOOL -> in.get() != 0;
      case INT8 -> (long) in.get();
      case UINT8 -> (long) (in.get() & 0xff);
      case INT16 -> (long) in.getShort();
      case UINT16 -> (long) (in.getShort() & 0xffff);
      case INT32 -> (long) in.getInt();
      case UINT32 -> in.getInt() & 0xffffffffL;
      case INT64 -> in.getLong();
      case UINT64 -> new BigInteger(Long.toUnsignedString(in.getLong()));
      case FP16 -> Float.float16ToFloat(in.getShort());
      case BF16 -> Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
      case FP32 -> in.getFloat();
      case FP64 -> in.getDouble();
      case BYTES -> throw new IllegalStateException("BYTES has no fixed size");
    };
  }

  private static void put(String name, DataType type, Object e, ByteBuffer out) {
    switch (type) {
      case BOOL -> out.put(bool(name, e) ? (byte) 1 : (byte) 0);
      case INT8 -> out.put((byte) integer(name, type, e, -128, 127));
      case UINT8 -> out.put((byte) integer(name, type, e, 0, 255));
      case INT16 -> out.putShort((short) integer(name, type, e, Short.MIN_VALUE, Short.MAX_VALUE));
      case UINT16 -> out.putShort((short) integer(name, type, e, 0, 65535));
      case INT32 -> out.putInt((int) integer(name, type, e, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case UINT32 -> out.putInt((int) integer(name, type, e, 0, 0xffffffffL));
      case INT64 -> out.putLong(integer(name, type, e, Long.MIN_VALUE, Long.MAX_VALUE));
      case UINT64 -> out.putLong(unsigned64(name, e));
      case FP16 -> out.putShort(Float.floatToFloat16((float) real(name, type, e)));
      case BF16 -> out.putShort(bf16((float) real(name, type, e)));
      case FP32 -> out.putFloat((float) real(name, type, e));
      case FP64 -> out.putDouble(real(name, type, e));
      case BYTES -> throw new IllegalStateException("BYTES is encoded separately");
    }
  }

  private static short bf16(float value) {
    int bits = Float.floatToIntBits(value);
    int rounded = bits + 0x7fff + ((bits >> 16) & 1);
    return (short) (rounded >>> 16);
  }

  private static ByteBuffer encodeBytes(String name, List<?> elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object e : elements) {
      byte[] bytes =
          switch (e) {
            case String s -> s.getBytes(StandardCharsets.UTF_8);
            case byte[] b -> b;
            default -> throw invalidElement(name, DataType.BYTES, e);
          };
      out.write(bytes.length & 0xff);
      out.write((bytes.length >> 8) & 0xff);
      out.write((bytes.length >> 16) & 0xff);
      out.write((bytes.length >> 24) & 0xff);
      out.writeBytes(bytes);
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  private static boolean bool(String name, Object e) {
    if (e instanceof Boolean b) {
      return b;
    }
    if (e instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
      return n.doubleValue() == 1;
    }
    throw invalidElement(name, DataType.BOOL, e);
  }

  private static long integer(String name, DataType type, Object e, long min, long max) {
    BigInteger value = integral(name, type, e);
    if (value.bitLength() > 63 || value.longValue() < min || value.longValue() > max) {
      throw KaskadeException.invalid(
          "tensor '%s': element %s is out of range for %s".formatted(name, e, type));
    }
    return value.longValue();
  }

  private static long unsigned64(String name, Object e) {
    BigInteger value = integral(name, DataType.UINT64, e);
    if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
      throw KaskadeException.invalid(
          "tensor '%s': element %s is out of range for UINT64".formatted(name, e));
    }
    return value.longValue();
  }

  private static BigInteger integral(String name, DataType type, Object e) {
    return switch (e) {
      case Integer i -> BigInteger.valueOf(i);
      case Long l -> BigInteger.valueOf(l);
      case Short s -> BigInteger.valueOf(s);
      case Byte b -> BigInteger.valueOf(b);
      case BigInteger b -> b;
      case Number n when !Double.isNaN(n.doubleValue()) && !Double.isInfinite(n.doubleValue()) -> {
        BigDecimal d = new BigDecimal(n.toString());
        if (d.stripTrailingZeros().scale() > 0) {
          throw invalidElement(name, type, e);
        }
        yield d.toBigInteger();
      }
      default -> throw invalidElement(name, type, e);
    };
  }

  private static double real(String name, DataType type, Object e) {
    if (e instanceof Number n) {
      return n.doubleValue();
    }
    throw invalidElement(name, type, e);
  }

  private static KaskadeException invalidElement(String name, DataType type, Object e) {
    String shown = e instanceof String s ? "\"" + s + "\"" : String.valueOf(e);
    return KaskadeException.invalid(
        "tensor '%s': element %s is not a valid %s".formatted(name, shown, type));
  }
}
