package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.events.DataType;

/** TensorRT {@code nvinfer1::DataType} names ↔ Open Inference Protocol datatypes. */
public final class TrtTypes {
  private TrtTypes() {}

  /** The OIP datatype of a TensorRT data type name; null for types OIP cannot carry. */
  public static DataType toOip(String trtType) {
    return switch (trtType) {
      case "kFLOAT" -> DataType.FP32;
      case "kHALF" -> DataType.FP16;
      case "kBF16" -> DataType.BF16;
      case "kINT8" -> DataType.INT8;
      case "kINT32" -> DataType.INT32;
      case "kINT64" -> DataType.INT64;
      case "kBOOL" -> DataType.BOOL;
      case "kUINT8" -> DataType.UINT8;
      default -> null; // kFP8, kINT4, kFP4, kE8M0: sub-byte or exotic, not servable as OIP tensors
    };
  }

  /** Bytes per element of a TensorRT data type name; -1 when unsupported. */
  public static int elementSize(String trtType) {
    DataType type = toOip(trtType);
    return type == null ? -1 : dev.kaskade.schemas.tensor.DataTypes.elementSize(type);
  }
}
