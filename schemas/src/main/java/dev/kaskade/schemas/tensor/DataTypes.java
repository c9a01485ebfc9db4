package dev.kaskade.schemas.tensor;

import dev.kaskade.events.DataType;

/** Facts about Open Inference Protocol datatypes. */
public final class DataTypes {
  private DataTypes() {}

  /** Bytes per element, or -1 for BYTES (variable length). */
  public static int elementSize(DataType type) {
    return switch (type) {
      case BOOL, UINT8, INT8 -> 1;
      case UINT16, INT16, FP16, BF16 -> 2;
      case UINT32, INT32, FP32 -> 4;
      case UINT64, INT64, FP64 -> 8;
      case BYTES -> -1;
    };
  }

  /** Parses an Open Inference Protocol datatype name; null when the name is not one. */
  public static DataType parse(String name) {
    if (name == null) {
      return null;
    }
    try {
      return DataType.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
