package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBackend;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * TensorRT backend (format {@code tensorrt}, platform {@code tensorrt_plan}) through the JavaCPP
 * presets. Loads a serialized engine ({@code .plan}, {@code .engine}, {@code .trt}) or builds one
 * from an {@code .onnx} model at load time.
 *
 * <p>{@link ModelSource#parameters()} keys:
 *
 * <ul>
 *   <li>{@code fp16} ({@code true}/{@code false}, default false): BuilderFlag.kFP16 when building
 *       from ONNX;
 *   <li>{@code maxBatchSize} (default 32) and {@code optBatchSize} (default = max): the kMAX/kOPT
 *       batch of the dynamic-batch optimization profile (kMIN is 1);
 *   <li>{@code workspaceBytes}: builder workspace pool limit;
 *   <li>{@code deviceId} (default 0); {@code instances} (default 2): execution contexts, i.e.
 *       batches that run concurrently, each on its own CUDA stream.
 * </ul>
 *
 * <p>Only the platform-independent preset jars are on the default class path, so on a machine
 * without the native jars (or without a GPU) {@link #availability()} reports why and the registry
 * skips this backend. {@code model-workers/gpu-check.sh} builds with the {@code gpu} Maven profile,
 * which adds the linux-x86_64 native jars; TensorRT's own libraries (libnvinfer, libnvonnxparser)
 * must be installed on the machine.
 */
public final class TensorRtBackend implements ModelBackend {
  public static final String NAME = "tensorrt";
  public static final String PLATFORM = "tensorrt_plan";

  private final Supplier<TrtNative> nativeFactory;
  private volatile Availability availability;
  private volatile TrtNative trt;

  /** The JavaCPP implementation (used by {@link java.util.ServiceLoader}). */
  public TensorRtBackend() {
    this(JavaCppTrtNative::new);
  }

  /** With another native layer (tests). */
  public TensorRtBackend(Supplier<TrtNative> nativeFactory) {
    this.nativeFactory = nativeFactory;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> formats() {
    return Set.of("tensorrt");
  }

  @Override
  public Availability availability() {
    Availability known = availability;
    if (known == null) {
      synchronized (this) {
        if (availability == null) {
          availability = probe();
        }
        known = availability;
      }
    }
    return known;
  }

  private Availability probe() {
    try {
      TrtNative candidate = nativeFactory.get();
      candidate.probe();
      trt = candidate;
      return Availability.AVAILABLE;
    } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, CUDA errors
      return Availability.unavailable("CUDA/TensorRT native libraries not found: " + describe(e));
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    String text = root.getClass().getSimpleName() + message;
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  @Override
  public LoadedModel load(ModelSource source) throws ModelLoadException {
    Availability available = availability();
    if (!available.available()) {
      throw new ModelLoadException(available.reason());
    }
    Map<String, String> params = source.parameters();
    TrtModelFiles.Located located = TrtModelFiles.locate(source.localPath());
    boolean fp16 = Boolean.parseBoolean(params.getOrDefault("fp16", "false").trim());
    int maxBatch = intParam(params, "maxBatchSize", 32, 1);
    int optBatch = intParam(params, "optBatchSize", maxBatch, 1);
    long workspace = longParam(params, "workspaceBytes", 0);
    int device = intParam(params, "deviceId", 0, 0);
    int instances = intParam(params, "instances", 2, 1);
    byte[] plan;
    if (located.kind() == TrtModelFiles.Kind.PLAN) {
      try {
        plan = Files.readAllBytes(located.file());
      } catch (IOException e) {
        throw new ModelLoadException("cannot read engine " + located.file() + ": " + e, e);
      }
    } else {
      var profile =
          OptimizationProfiles.compute(OnnxInputs.read(located.file()), maxBatch, optBatch);
      plan = trt.buildFromOnnx(located.file(), fp16, profile, workspace, device);
    }
    TrtEngine engine = trt.deserialize(plan, device, instances);
    try {
      return new TensorRtLoadedModel(source.name(), engine, plan.length);
    } catch (ModelLoadException | RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  static int intParam(Map<String, String> params, String key, int fallback, int min)
      throws ModelLoadException {
    long value = longParam(params, key, fallback);
    if (value < min || value > Integer.MAX_VALUE) {
      throw new ModelLoadException("parameter " + key + "=" + value + " must be >= " + min);
    }
    return (int) value;
  }

  static long longParam(Map<String, String> params, String key, long fallback)
      throws ModelLoadException {
    String value = params.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim().toLowerCase(Locale.ROOT));
    } catch (NumberFormatException e) {
      throw new ModelLoadException("parameter " + key + "='" + value + "' is not an integer");
    }
  }
}
