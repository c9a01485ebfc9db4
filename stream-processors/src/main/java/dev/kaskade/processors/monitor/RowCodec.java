package dev.kaskade.processors.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact binary form of feature rows for the monitor's state stores. Each value keeps its JSON
 * kind (integral, floating, text, boolean, null), so a row read back compares and prints as it did
 * when it was appended: a categorical {@code 1} stays {@code "1"}, a {@code 5.1} stays {@code 5.1}.
 * Any other JSON value (object, array) is kept as its JSON text.
 *
 * <pre>row := count:int value*   value := tag:byte payload</pre>
 */
final class RowCodec {
  private static final byte LONG = 1;
  private static final byte DOUBLE = 2;
  private static final byte TEXT = 3;
  private static final byte TRUE = 4;
  private static final byte FALSE = 5;
  private static final byte NULL = 6;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RowCodec() {}

  static void write(List<JsonNode> row, DataOutputStream out) {
    try {
      out.writeInt(row.size());
      for (JsonNode value : row) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
          out.writeByte(LONG);
          out.writeLong(value.longValue());
        } else if (value.isNumber()) {
          out.writeByte(DOUBLE);
          out.writeDouble(value.doubleValue());
        } else if (value.isTextual()) {
          out.writeByte(TEXT);
          out.writeUTF(value.textValue());
        } else if (value.isBoolean()) {
          out.writeByte(value.booleanValue() ? TRUE : FALSE);
        } else if (value.isNull() || value.isMissingNode()) {
          out.writeByte(NULL);
        } else {
          out.writeByte(TEXT);
          out.writeUTF(value.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams only
    }
  }

  /** Every row of a chunk, in the order they were written. */
  static List<List<JsonNode>> readAll(byte[] chunk) {
    List<List<JsonNode>> rows = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk))) {
      while (in.available() > 0) {
        int size = in.readInt();
        List<JsonNode> row = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          row.add(read(in));
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new IllegalStateException("corrupt monitor row chunk: " + e.getMessage(), e);
    }
    return rows;
  }

  /** As Jackson parses an integer: an int node when it fits, else a long node. */
  private static JsonNode integral(long value) {
    return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  private static JsonNode read(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case LONG -> integral(in.readLong());
      case DOUBLE -> NODES.numberNode(in.readDouble());
      case TEXT -> NODES.textNode(in.readUTF());
      case TRUE -> NODES.booleanNode(true);
      case FALSE -> NODES.booleanNode(false);
      case NULL -> NODES.nullNode();
      default -> throw new IOException("unknown value tag " + tag);
    };
  }
}
