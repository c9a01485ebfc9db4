package dev.kaskade.workers.backend.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.kaskade.events.DataType;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBackend;
import dev.kaskade.workers.backend.ModelFiles;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * ONNX Runtime backend (format {@code onnx}, platform {@code onnx_onnxv1}).
 *
 * <p>{@link ModelSource#parameters()} keys:
 *
 * <ul>
 *   <li>{@code executionProvider}: {@code cpu} (default), {@code cuda} or {@code tensorrt}. CUDA
 *       and TensorRT need the {@code onnxruntime_gpu} artifact and a GPU; when the provider is
 *       missing the load fails with a {@link ModelLoadException} naming the available ones.
 *   <li>{@code deviceId}: GPU ordinal for cuda/tensorrt (default 0).
 *   <li>{@code intraOpThreads}: ONNX Runtime intra-op thread count (default: ORT's choice).
 *   <li>{@code interOpThreads}: inter-op thread count.
 * </ul>
 *
 * <p>The memory estimate is the model file size × {@value #MEMORY_FACTOR}: the session holds the
 * initializers once plus arena and pre-packed copies of the weights; it is an estimate for the
 * multi-model memory budget, not a measurement.
 */
public final class OnnxBackend implements ModelBackend {
  public static final String NAME = "onnxruntime";
  public static final String PLATFORM = "onnx_onnxv1";
  public static final String EXECUTION_PROVIDER = "executionProvider";
  public static final String DEVICE_ID = "deviceId";
  public static final String INTRA_OP_THREADS = "intraOpThreads";
  public static final String INTER_OP_THREADS = "interOpThreads";
  static final long MEMORY_FACTOR = 2;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> formats() {
    return Set.of("onnx");
  }

  @Override
  public Availability availability() {
    try {
      OrtRuntime.environment();
      return Availability.AVAILABLE;
    } catch (RuntimeException | LinkageError e) {
      return Availability.unavailable("ONNX Runtime native library failed to load: " + e);
    }
  }

  /** Execution providers of this ONNX Runtime build (e.g. [CPU], or [CPU, CUDA, TENSOR_RT]). */
  public static EnumSet<OrtProvider> availableProviders() {
    return OrtRuntime.availableProviders();
  }

  @Override
  public LoadedModel load(ModelSource source) throws ModelLoadException {
    Path file = ModelFiles.find(source.localPath(), List.of(".onnx"));
    OrtEnvironment env;
    try {
      env = OrtRuntime.environment();
    } catch (RuntimeException | LinkageError e) {
      throw new ModelLoadException("ONNX Runtime native library failed to load: " + e, e);
    }
    Map<String, String> params = source.parameters();
    long fileSize;
    try {
      fileSize = Files.size(file);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read model file " + file + ": " + e, e);
    }
    OrtSession session = null;
    try (OrtSession.SessionOptions options = sessionOptions(params)) {
      session = env.createSession(file.toString(), options);
      ModelMetadata metadata =
          new ModelMetadata(
              source.name(),
              PLATFORM,
              describe(session.getInputInfo()),
              describe(session.getOutputInfo()));
      return new OnnxLoadedModel(env, session, metadata, fileSize * MEMORY_FACTOR);
    } catch (OrtException e) {
      closeQuietly(session);
      throw new ModelLoadException(
          "ONNX Runtime could not load " + file.getFileName() + ": " + e.getMessage(), e);
    } catch (ModelLoadException | RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private static OrtSession.SessionOptions sessionOptions(Map<String, String> params)
      throws OrtException, ModelLoadException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      Integer intra = intParam(params, INTRA_OP_THREADS);
      if (intra != null) {
        options.setIntraOpNumThreads(intra);
      }
      Integer inter = intParam(params, INTER_OP_THREADS);
      if (inter != null) {
        options.setInterOpNumThreads(inter);
      }
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      String provider =
          params.getOrDefault(EXECUTION_PROVIDER, "cpu").trim().toLowerCase(Locale.ROOT);
      Integer deviceParam = intParam(params, DEVICE_ID);
      int device = deviceParam == null ? 0 : deviceParam;
      switch (provider) {
        case "cpu", "" -> {}
        case "cuda" -> {
          requireProvider(OrtProvider.CUDA, provider);
          options.addCUDA(device);
        }
        case "tensorrt" -> {
          requireProvider(OrtProvider.TENSOR_RT, provider);
          options.addTensorrt(device);
          // TensorRT falls back to CUDA for unsupported nodes when CUDA is present.
          if (availableProviders().contains(OrtProvider.CUDA)) {
            options.addCUDA(device);
          }
        }
        default ->
            throw new ModelLoadException(
                "unknown executionProvider '" + provider + "'; use cpu, cuda or tensorrt");
      }
      return options;
    } catch (OrtException | ModelLoadException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static void requireProvider(OrtProvider provider, String requested)
      throws ModelLoadException {
    EnumSet<OrtProvider> available = availableProviders();
    if (!available.contains(provider)) {
      throw new ModelLoadException(
          "executionProvider '"
              + requested
              + "' is not available in this ONNX Runtime build (available: "
              + available
              + "); it needs the com.microsoft.onnxruntime:onnxruntime_gpu artifact and a GPU");
    }
  }

  private static Integer intParam(Map<String, String> params, String key)
      throws ModelLoadException {
    String value = params.get(key);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < 0) {
        throw new NumberFormatException("negative");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ModelLoadException(
          "parameter " + key + "='" + value + "' is not a non-negative integer");
    }
  }

  private static List<TensorMetadata> describe(Map<String, NodeInfo> nodes)
      throws ModelLoadException {
    List<TensorMetadata> out = new ArrayList<>();
    for (Map.Entry<String, NodeInfo> node : nodes.entrySet()) {
      if (!(node.getValue().getInfo() instanceof TensorInfo info)) {
        throw new ModelLoadException(
            "model value '"
                + node.getKey()
                + "' is not a tensor ("
                + node.getValue().getInfo()
                + "); only tensor inputs/outputs are served");
      }
      DataType type = OnnxTypes.toDataType(info.onnxType);
      if (type == null) {
        throw new ModelLoadException(
            "model tensor '" + node.getKey() + "' has unsupported element type " + info.onnxType);
      }
      List<Long> shape = new ArrayList<>();
      for (long dim : info.getShape()) {
        shape.add(dim < 0 ? -1L : dim);
      }
      out.add(new TensorMetadata(node.getKey(), type, shape));
    }
    return out;
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // best effort on a failed load
      }
    }
  }
}
