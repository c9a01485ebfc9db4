package dev.kaskade.workers.backend.tensorrt;

import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;

import dev.kaskade.workers.backend.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.bytedeco.tensorrt.nvonnxparser.IParser;

/**
 * {@link TrtNative} over the JavaCPP TensorRT and CUDA presets. This is the only place that calls
 * native code; it cannot run without the native jars and a GPU (see gpu-check.sh).
 */
final class JavaCppTrtNative implements TrtNative {
  private static final System.Logger LOG = System.getLogger(JavaCppTrtNative.class.getName());

  /** TensorRT log sink; one instance kept strongly reachable for the life of the JVM. */
  static final class TrtLogger extends ILogger {
    @Override
    public void log(ILogger.Severity severity, String message) {
      if (severity.value <= ILogger.Severity.kERROR.value) {
        LOG.log(System.Logger.Level.ERROR, "TensorRT: {0}", message);
      } else if (severity.value <= ILogger.Severity.kWARNING.value) {
        LOG.log(System.Logger.Level.WARNING, "TensorRT: {0}", message);
      } else {
        LOG.log(System.Logger.Level.DEBUG, "TensorRT: {0}", message);
      }
    }
  }

  private static volatile TrtLogger logger;

  static TrtLogger logger() {
    TrtLogger current = logger;
    if (current == null) {
      synchronized (JavaCppTrtNative.class) {
        if (logger == null) {
          logger = new TrtLogger();
        }
        current = logger;
      }
    }
    return current;
  }

  @Override
  public void probe() {
    Loader.load(cudart.class);
    Loader.load(nvinfer.class);
    Loader.load(nvonnxparser.class);
    int[] count = new int[1];
    int status = cudaGetDeviceCount(count);
    if (status != cudart.cudaSuccess || count[0] < 1) {
      throw new IllegalStateException(
          "no CUDA device (cudaGetDeviceCount: " + error(status) + ", count " + count[0] + ")");
    }
    LOG.log(
        System.Logger.Level.INFO,
        "TensorRT {0} with {1} CUDA device(s)",
        nvinfer.getInferLibVersion(),
        count[0]);
  }

  static String error(int status) {
    if (status == cudart.cudaSuccess) {
      return "cudaSuccess";
    }
    BytePointer text = cudaGetErrorString(status);
    return status + " " + (text == null ? "" : text.getString());
  }

  static void check(int status, String what) throws ModelLoadException {
    if (status != cudart.cudaSuccess) {
      throw new ModelLoadException("CUDA " + what + " failed: " + error(status));
    }
  }

  static Dims64 dims(List<Long> shape) {
    Dims64 dims = new Dims64();
    dims.nbDims(shape.size());
    for (int i = 0; i < shape.size(); i++) {
      dims.d(i, shape.get(i));
    }
    return dims;
  }

  static List<Long> shape(Dims64 dims) {
    List<Long> shape = new ArrayList<>(dims.nbDims());
    for (int i = 0; i < dims.nbDims(); i++) {
      shape.add(dims.d(i));
    }
    return shape;
  }

  @Override
  public byte[] buildFromOnnx(
      Path onnx,
      boolean fp16,
      Map<String, OptimizationProfiles.Range> profile,
      long workspaceBytes,
      int deviceId)
      throws ModelLoadException {
    check(cudaSetDevice(deviceId), "cudaSetDevice(" + deviceId + ")");
    IBuilder builder = nvinfer.createInferBuilder(logger());
    if (builder == null || builder.isNull()) {
      throw new ModelLoadException("TensorRT createInferBuilder failed");
    }
    INetworkDefinition network = null;
    IParser parser = null;
    IBuilderConfig config = null;
    IHostMemory serialized = null;
    try {
      // TensorRT 10: networks are always explicit-batch; no creation flag needed.
      network = builder.createNetworkV2(0);
      parser = nvonnxparser.createParser(network, logger());
      if (!parser.parseFromFile(
          onnx.toAbsolutePath().toString(), ILogger.Severity.kWARNING.value)) {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < parser.getNbErrors(); i++) {
          errors.add(parser.getError(i).desc());
        }
        throw new ModelLoadException(
            "TensorRT could not parse " + onnx.getFileName() + ": " + errors);
      }
      config = builder.createBuilderConfig();
      if (fp16) {
        if (!builder.platformHasFastFp16()) {
          LOG.log(System.Logger.Level.WARNING, "fp16 requested but this GPU has no fast FP16");
        }
        config.setFlag(nvinfer.BuilderFlag.kFP16);
      }
      if (workspaceBytes > 0) {
        config.setMemoryPoolLimit(nvinfer.MemoryPoolType.kWORKSPACE, workspaceBytes);
      }
      IOptimizationProfile optimization = builder.createOptimizationProfile();
      for (Map.Entry<String, OptimizationProfiles.Range> input : profile.entrySet()) {
        String name = input.getKey();
        OptimizationProfiles.Range range = input.getValue();
        boolean ok =
            optimization.setDimensions(name, nvinfer.OptProfileSelector.kMIN, dims(range.min()))
                && optimization.setDimensions(
                    name, nvinfer.OptProfileSelector.kOPT, dims(range.opt()))
                && optimization.setDimensions(
                    name, nvinfer.OptProfileSelector.kMAX, dims(range.max()));
        if (!ok) {
          throw new ModelLoadException(
              "TensorRT rejected the optimization profile for input '" + name + "': " + range);
        }
      }
      if (config.addOptimizationProfile(optimization) < 0) {
        throw new ModelLoadException("TensorRT rejected the optimization profile " + profile);
      }
      serialized = builder.buildSerializedNetwork(network, config);
      if (serialized == null || serialized.isNull() || serialized.size() == 0) {
        throw new ModelLoadException(
            "TensorRT engine build failed for " + onnx.getFileName() + " (see the TensorRT log)");
      }
      byte[] plan = new byte[Math.toIntExact(serialized.size())];
      new BytePointer(serialized.data()).capacity(plan.length).get(plan);
      return plan;
    } finally {
      closeAll(serialized, parser, config, network, builder);
    }
  }

  @Override
  public TrtEngine deserialize(byte[] plan, int deviceId, int contexts) throws ModelLoadException {
    check(cudaSetDevice(deviceId), "cudaSetDevice(" + deviceId + ")");
    IRuntime runtime = nvinfer.createInferRuntime(logger());
    if (runtime == null || runtime.isNull()) {
      throw new ModelLoadException("TensorRT createInferRuntime failed");
    }
    BytePointer bytes = new BytePointer(plan);
    ICudaEngine engine;
    try {
      engine = runtime.deserializeCudaEngine(bytes, plan.length);
    } finally {
      bytes.close();
    }
    if (engine == null || engine.isNull()) {
      runtime.close();
      throw new ModelLoadException(
          "TensorRT could not deserialize the engine (built by another TensorRT version or for"
              + " another GPU?)");
    }
    try {
      return new JavaCppTrtEngine(runtime, engine, deviceId, contexts);
    } catch (ModelLoadException | RuntimeException e) {
      engine.close();
      runtime.close();
      throw e;
    }
  }

  static void closeAll(org.bytedeco.javacpp.Pointer... pointers) {
    for (org.bytedeco.javacpp.Pointer pointer : pointers) {
      if (pointer != null) {
        pointer.close();
      }
    }
  }
}
