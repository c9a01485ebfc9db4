package dev.kaskade.workers.backend;

import java.util.Set;

/**
 * A model server backend (ONNX Runtime, TensorRT, …). Backends are found with {@link
 * java.util.ServiceLoader}; a ServingRuntime's {@code supportedModelFormats} names the formats.
 */
public interface ModelBackend {

  /** Backend name, e.g. "onnxruntime" or "tensorrt". */
  String name();

  /** Model formats (ServingRuntime supportedModelFormats names) this backend loads. */
  Set<String> formats();

  /** Whether the backend can run on this machine (native libraries, GPU), and if not, why. */
  default Availability availability() {
    return Availability.AVAILABLE;
  }

  /** Loads the model; throws {@link ModelLoadException} with a reason the status will show. */
  LoadedModel load(ModelSource source) throws ModelLoadException;

  /** Whether the backend can run here; {@code reason} says why not. */
  record Availability(boolean available, String reason) {
    public static final Availability AVAILABLE = new Availability(true, "");

    public static Availability unavailable(String reason) {
      return new Availability(false, reason);
    }
  }
}
