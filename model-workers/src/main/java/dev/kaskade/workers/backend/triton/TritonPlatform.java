package dev.kaskade.workers.backend.triton;

import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.triton.proto.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Triton backends Kaskade runs in-process: {@code platform}/{@code backend} names, the default
 * model file name, and the Kaskade backend that loads it.
 */
enum TritonPlatform {
  ONNX("onnxruntime_onnx", "onnxruntime", "model.onnx", "onnx"),
  TENSORRT("tensorrt_plan", "tensorrt", "model.plan", "tensorrt");

  final String platform;
  final String backend;
  final String defaultFile;
  final String format;

  TritonPlatform(String platform, String backend, String defaultFile, String format) {
    this.platform = platform;
    this.backend = backend;
    this.defaultFile = defaultFile;
    this.format = format;
  }

  /**
   * The platform config.pbtxt names ({@code platform} or {@code backend}); when it names neither,
   * the one whose default file is in {@code versionDir}, as Triton's auto-complete does.
   */
  static TritonPlatform of(ModelConfig config, String model, Path versionDir)
      throws ModelLoadException {
    String named = !config.getPlatform().isBlank() ? config.getPlatform() : config.getBackend();
    if (!named.isBlank()) {
      for (TritonPlatform p : values()) {
        if (matches(p, config.getPlatform()) && matches(p, config.getBackend())) {
          return p;
        }
      }
      throw new ModelLoadException(unsupported(model, named));
    }
    for (TritonPlatform p : values()) {
      if (Files.isRegularFile(versionDir.resolve(p.defaultFile))) {
        return p;
      }
    }
    throw new ModelLoadException(
        "Triton model "
            + model
            + " names no platform or backend in config.pbtxt and its version directory "
            + versionDir.getFileName()
            + " holds neither "
            + List.of(ONNX.defaultFile, TENSORRT.defaultFile));
  }

  private static boolean matches(TritonPlatform p, String name) {
    return name.isBlank() || name.equals(p.platform) || name.equals(p.backend);
  }

  /** The FailedToLoad reason for a Triton backend Kaskade does not run in-process. */
  static String unsupported(String model, String named) {
    return "Triton model "
        + model
        + " uses backend '"
        + named
        + "', which Kaskade does not run in-process (it runs onnxruntime_onnx/onnxruntime and"
        + " tensorrt_plan/tensorrt); serve this model repository with KServe's tritonserver"
        + " through the runtime bridge: annotate the InferenceService with "
        + BackendRegistry.BRIDGE_ANNOTATION
        + ": <the tritonserver's URL>";
  }
}
