package dev.kaskade.workers.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The model backends on the class path (found with {@link ServiceLoader} through {@code
 * META-INF/services/dev.kaskade.workers.backend.ModelBackend}), looked up by model format.
 *
 * <pre>{@code
 * BackendRegistry registry = BackendRegistry.load();
 * ModelBackend backend = registry.forFormat("onnx");   // throws ModelLoadException if none
 * LoadedModel model = backend.load(new ModelSource(name, revision, localPath, "onnx", params));
 * }</pre>
 */
public final class BackendRegistry {
  /** The bridge's annotation naming an upstream KServe-compatible server (see docs). */
  public static final String BRIDGE_ANNOTATION = "kaskade.dev/upstream-url";

  private final List<ModelBackend> backends;

  public BackendRegistry(List<ModelBackend> backends) {
    this.backends = List.copyOf(backends);
  }

  /** All backends registered with {@link ServiceLoader} in this class loader. */
  public static BackendRegistry load() {
    List<ModelBackend> found = new ArrayList<>();
    ServiceLoader.load(ModelBackend.class, BackendRegistry.class.getClassLoader())
        .forEach(found::add);
    return new BackendRegistry(found);
  }

  public List<ModelBackend> backends() {
    return backends;
  }

  /** Every format some backend loads (lower case, sorted). */
  public List<String> formats() {
    TreeSet<String> formats = new TreeSet<>();
    for (ModelBackend backend : backends) {
      backend.formats().forEach(f -> formats.add(f.toLowerCase(Locale.ROOT)));
    }
    return List.copyOf(formats);
  }

  /**
   * The first available backend for a model format (case-insensitive).
   *
   * @throws ModelLoadException naming the known formats when none loads it, or the reasons when the
   *     backends that load it cannot run on this machine
   */
  public ModelBackend forFormat(String format) throws ModelLoadException {
    String wanted = format == null ? "" : format.toLowerCase(Locale.ROOT);
    List<String> unavailable = new ArrayList<>();
    for (ModelBackend backend : backends) {
      boolean matches =
          backend.formats().stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).equals(wanted));
      if (!matches) {
        continue;
      }
      ModelBackend.Availability availability = backend.availability();
      if (availability.available()) {
        return backend;
      }
      unavailable.add(backend.name() + ": " + availability.reason());
    }
    if (!unavailable.isEmpty()) {
      throw new ModelLoadException(
          "no available backend for model format '" + format + "' (" + unavailable + ")");
    }
    throw new ModelLoadException(
        "unsupported model format '"
            + format
            + "'; known formats: "
            + formats()
            + ". A model server for another format can be reached through the bridge: annotate"
            + " the InferenceService with "
            + BRIDGE_ANNOTATION);
  }

  /** The backend with this name, e.g. "onnxruntime" or "tensorrt". */
  public ModelBackend byName(String name) throws ModelLoadException {
    for (ModelBackend backend : backends) {
      if (backend.name().equalsIgnoreCase(name)) {
        return backend;
      }
    }
    throw new ModelLoadException(
        "unknown backend '"
            + name
            + "'; known backends: "
            + backends.stream().map(ModelBackend::name).toList());
  }
}
