package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.workers.backend.ModelFiles;
import dev.kaskade.workers.backend.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Finds the TensorRT model file and tells a serialized engine from an ONNX model. */
public final class TrtModelFiles {
  /** Serialized engine extensions. */
  public static final List<String> PLAN_EXTENSIONS = List.of(".plan", ".engine", ".trt");

  /** ONNX model extension (the engine is built at load time). */
  public static final List<String> ONNX_EXTENSIONS = List.of(".onnx");

  private TrtModelFiles() {}

  /** Kind of model file. */
  public enum Kind {
    PLAN,
    ONNX
  }

  /** A located model file. */
  public record Located(Path file, Kind kind) {}

  /** The kind of a file by its extension; null when neither. */
  public static Kind kindOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (PLAN_EXTENSIONS.stream().anyMatch(name::endsWith)) {
      return Kind.PLAN;
    }
    if (ONNX_EXTENSIONS.stream().anyMatch(name::endsWith)) {
      return Kind.ONNX;
    }
    return null;
  }

  /**
   * A file, or the single engine (preferred) or else single ONNX model inside a directory (e.g.
   * Triton's {@code model/1/model.plan} layout).
   */
  public static Located locate(Path path) throws ModelLoadException {
    if (Files.isRegularFile(path)) {
      Kind kind = kindOf(path);
      if (kind == null) {
        throw new ModelLoadException(
            "TensorRT model file "
                + path.getFileName()
                + " must end with one of "
                + PLAN_EXTENSIONS
                + " or .onnx");
      }
      return new Located(path, kind);
    }
    if (Files.isDirectory(path)) {
      try {
        return new Located(ModelFiles.find(path, PLAN_EXTENSIONS), Kind.PLAN);
      } catch (ModelLoadException noPlan) {
        if (noPlan.getMessage().startsWith("several")) {
          throw noPlan;
        }
      }
      return new Located(ModelFiles.find(path, ONNX_EXTENSIONS), Kind.ONNX);
    }
    throw new ModelLoadException("model path " + path + " does not exist");
  }
}
