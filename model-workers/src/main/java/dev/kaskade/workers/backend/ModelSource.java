package dev.kaskade.workers.backend;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A model ready to load: its local copy (a file, or a directory holding it) and its config.
 *
 * @param name model (InferenceService or TrainedModel) name
 * @param revision the revision that will answer (becomes model_version)
 * @param localPath the storage initializer's local file or directory
 * @param format the model format name (e.g. "onnx")
 * @param parameters backend settings (execution provider, fp16, max batch, …)
 */
public record ModelSource(
    String name, String revision, Path localPath, String format, Map<String, String> parameters) {
  public ModelSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(localPath, "localPath");
    Objects.requireNonNull(format, "format");
    parameters = Map.copyOf(parameters);
  }
}
