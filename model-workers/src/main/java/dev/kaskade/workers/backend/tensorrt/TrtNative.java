package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.workers.backend.ModelLoadException;
import java.nio.file.Path;
import java.util.Map;

/** The calls into CUDA/TensorRT. {@link JavaCppTrtNative} implements it with JavaCPP presets. */
public interface TrtNative {

  /**
   * Loads the native libraries and checks that a GPU is present.
   *
   * @throws Throwable (typically {@link UnsatisfiedLinkError}) when they are missing
   */
  void probe() throws Throwable;

  /**
   * Parses an ONNX model and builds a serialized engine (plan).
   *
   * @param onnx the model file
   * @param fp16 allow FP16 kernels (BuilderFlag.kFP16)
   * @param profile per input: kMIN/kOPT/kMAX shapes of optimization profile 0
   * @param workspaceBytes workspace memory pool limit, 0 for TensorRT's default
   * @param deviceId the GPU to build for
   */
  byte[] buildFromOnnx(
      Path onnx,
      boolean fp16,
      Map<String, OptimizationProfiles.Range> profile,
      long workspaceBytes,
      int deviceId)
      throws ModelLoadException;

  /**
   * Deserializes a plan on a device and prepares {@code contexts} execution contexts, each with its
   * own CUDA stream and device buffers.
   */
  TrtEngine deserialize(byte[] plan, int deviceId, int contexts) throws ModelLoadException;
}
