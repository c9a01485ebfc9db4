package dev.kaskade.workers.backend.triton;

import com.google.protobuf.TextFormat;
import dev.kaskade.events.DataType;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.triton.proto.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Triton {@code config.pbtxt} with protobuf-java's {@link TextFormat} against Kaskade's
 * subset of Triton's model configuration ({@code src/main/proto/triton_model_config.proto}). Fields
 * outside that subset (optimization, parameters, model_warmup, …) are accepted and ignored.
 */
public final class TritonConfigs {
  public static final String FILE = "config.pbtxt";

  private static final TextFormat.Parser PARSER =
      TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build();

  private TritonConfigs() {}

  /** Parses config.pbtxt text; {@code origin} names the file in the error. */
  public static ModelConfig parse(String text, String origin) throws ModelLoadException {
    ModelConfig.Builder builder = ModelConfig.newBuilder();
    try {
      PARSER.merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new ModelLoadException(
          origin
              + " is not a valid Triton model configuration (line "
              + e.getLine()
              + ", column "
              + e.getColumn()
              + "): "
              + e.getMessage());
    }
    return builder.build();
  }

  /**
   * Reads {@code dir/config.pbtxt}; a missing file is an empty configuration (Triton's
   * auto-complete).
   */
  public static ModelConfig read(Path dir) throws ModelLoadException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return ModelConfig.getDefaultInstance();
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), dir.getFileName() + "/" + FILE);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e, e);
    }
  }

  /** The Open Inference Protocol datatype of a Triton {@code TYPE_*}, or null for TYPE_INVALID. */
  static DataType dataType(dev.kaskade.workers.backend.triton.proto.DataType type) {
    return switch (type) {
      case TYPE_BOOL -> DataType.BOOL;
      case TYPE_UINT8 -> DataType.UINT8;
      case TYPE_UINT16 -> DataType.UINT16;
      case TYPE_UINT32 -> DataType.UINT32;
      case TYPE_UINT64 -> DataType.UINT64;
      case TYPE_INT8 -> DataType.INT8;
      case TYPE_INT16 -> DataType.INT16;
      case TYPE_INT32 -> DataType.INT32;
      case TYPE_INT64 -> DataType.INT64;
      case TYPE_FP16 -> DataType.FP16;
      case TYPE_FP32 -> DataType.FP32;
      case TYPE_FP64 -> DataType.FP64;
      case TYPE_STRING -> DataType.BYTES;
      case TYPE_BF16 -> DataType.BF16;
      case TYPE_INVALID, UNRECOGNIZED -> null;
    };
  }
}
