package dev.kaskade.workers.backend.triton;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.triton.proto.ModelConfig;
import dev.kaskade.workers.backend.triton.proto.VersionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Triton's model repository layout: {@code <repo>/<model>/config.pbtxt} and {@code
 * <repo>/<model>/<version>/model.onnx} (or {@code model.plan}, or config's {@code
 * default_model_filename}). One model is served: the one named like the InferenceService, or the
 * only one; {@code storageUri} may also point straight at a model's folder.
 */
final class TritonRepository {
  private TritonRepository() {}

  /** The folder of the model to serve under {@code root}. */
  static Path modelDir(Path root, String wanted) throws ModelLoadException {
    if (!Files.isDirectory(root)) {
      throw new ModelLoadException(
          "a Triton model repository must be a directory, " + root + " is not");
    }
    if (isModelDir(root)) {
      return root;
    }
    List<Path> models = children(root).filter(TritonRepository::isModelDir).toList();
    if (models.isEmpty()) {
      throw new ModelLoadException(
          "no Triton model under "
              + root.getFileName()
              + ": expected <repository>/<model>/config.pbtxt and"
              + " <repository>/<model>/<version>/model.onnx (or model.plan)");
    }
    for (Path model : models) {
      if (model.getFileName().toString().equals(wanted)) {
        return model;
      }
    }
    if (models.size() == 1) {
      return models.get(0);
    }
    throw new ModelLoadException(
        "the Triton model repository holds several models "
            + models.stream().map(p -> p.getFileName().toString()).toList()
            + " and none is named like the InferenceService '"
            + wanted
            + "'; name the InferenceService after the model to serve, or point storageUri at"
            + " that model's folder");
  }

  /**
   * The version folder to serve: the highest version the {@code version_policy} allows (latest and
   * all: the highest present; specific: the highest listed one present). Kaskade serves one version
   * per revision; its revisions are the versions callers see.
   */
  static Path versionDir(Path modelDir, ModelConfig config) throws ModelLoadException {
    List<Long> present =
        children(modelDir).map(TritonRepository::version).filter(v -> v > 0).toList();
    VersionPolicy policy = config.getVersionPolicy();
    List<Long> allowed =
        policy.hasSpecific()
            ? present.stream().filter(policy.getSpecific().getVersionsList()::contains).toList()
            : present;
    String model = modelDir.getFileName().toString();
    if (allowed.isEmpty()) {
      throw new ModelLoadException(
          "Triton model "
              + model
              + (present.isEmpty()
                  ? " has no version folder (<model>/1/, …)"
                  : " has no version folder that version_policy allows (present: "
                      + present
                      + ", specific: "
                      + policy.getSpecific().getVersionsList()
                      + ")"));
    }
    long chosen = allowed.stream().max(Comparator.naturalOrder()).orElseThrow();
    return modelDir.resolve(Long.toString(chosen));
  }

  /** The model file of {@code versionDir}: config's default_model_filename or the platform's. */
  static Path modelFile(Path versionDir, ModelConfig config, TritonPlatform platform)
      throws ModelLoadException {
    String name =
        config.getDefaultModelFilename().isBlank()
            ? platform.defaultFile
            : config.getDefaultModelFilename();
    Path file = versionDir.resolve(name).normalize();
    if (!file.startsWith(versionDir) || !Files.isRegularFile(file)) {
      throw new ModelLoadException(
          "Triton model version folder "
              + versionDir.getParent().getFileName()
              + "/"
              + versionDir.getFileName()
              + " has no model file "
              + name);
    }
    return file;
  }

  private static boolean isModelDir(Path dir) {
    return Files.isRegularFile(dir.resolve(TritonConfigs.FILE))
        || children(dir).anyMatch(p -> version(p) > 0);
  }

  /** A version folder's number; -1 when the path is not one (not a folder, not a number). */
  private static long version(Path path) {
    String name = path.getFileName().toString();
    if (!Files.isDirectory(path) || name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    try {
      return Long.parseLong(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Stream<Path> children(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList().stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }
}
