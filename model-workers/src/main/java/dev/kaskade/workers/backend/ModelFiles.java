package dev.kaskade.workers.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Finds the model file inside a storage initializer's local copy. */
public final class ModelFiles {
  private static final int MAX_DEPTH = 4;

  private ModelFiles() {}

  /**
   * Returns {@code path} when it is a regular file ending with one of {@code extensions}, or the
   * single such file under the directory {@code path} (searched a few levels deep).
   *
   * @throws ModelLoadException when the path is missing, holds no such file, or several
   */
  public static Path find(Path path, List<String> extensions) throws ModelLoadException {
    if (!Files.exists(path)) {
      throw new ModelLoadException("model path " + path + " does not exist");
    }
    if (Files.isRegularFile(path)) {
      if (!hasExtension(path, extensions)) {
        throw new ModelLoadException(
            "model file " + path.getFileName() + " does not end with one of " + extensions);
      }
      return path;
    }
    List<Path> found;
    try (Stream<Path> walk = Files.walk(path, MAX_DEPTH)) {
      found =
          walk.filter(Files::isRegularFile)
              .filter(p -> hasExtension(p, extensions))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new ModelLoadException("cannot list model directory " + path + ": " + e, e);
    }
    if (found.isEmpty()) {
      throw new ModelLoadException("no " + extensions + " model file found under " + path);
    }
    if (found.size() > 1) {
      throw new ModelLoadException(
          "several " + extensions + " model files found under " + path + ": " + found);
    }
    return found.get(0);
  }

  /** Whether the file name ends (case-insensitively) with one of the extensions. */
  public static boolean hasExtension(Path file, List<String> extensions) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return extensions.stream().anyMatch(ext -> name.endsWith(ext.toLowerCase(Locale.ROOT)));
  }
}
