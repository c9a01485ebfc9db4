package dev.kaskade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo InferenceServices. iris: {@code examples/iris} of the working directory when present (a
 * checkout), else the copy bundled in the CLI jar, extracted into the data dir. minilm: the
 * sentence-embedding model of the model workers' class path, written once into the data dir.
 */
final class DemoModel {
  private static final String[] FILES = {"isvc.yaml", "model.onnx"};

  private DemoModel() {}

  /** The class that writes the minilm demo (model-workers, a runtime dependency of the CLI). */
  static final String MINILM_WRITER = "dev.kaskade.workers.demo.MiniLm";

  /**
   * The minilm demo's manifest folder (isvc.yaml and its model) under the data dir. The CLI knows
   * the components only at run time (they are found with ServiceLoader), so the writer is called by
   * name.
   */
  static Path minilmDir(Path dataDir) {
    Path dir = dataDir.resolve("demo").resolve("minilm");
    try {
      Class.forName(MINILM_WRITER).getMethod("writeDemo", Path.class).invoke(null, dir);
      return dir;
    } catch (InvocationTargetException e) {
      throw new CliException("cannot write the minilm demo model: " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new CliException("the minilm demo model is missing from this build (" + e + ")");
    }
  }

  static Path manifestDir(Path dataDir) {
    Path checkout = Path.of("examples", "iris").toAbsolutePath();
    if (Files.exists(checkout.resolve("isvc.yaml"))
        && Files.exists(checkout.resolve("model.onnx"))) {
      return checkout;
    }
    Path extracted = dataDir.resolve("demo").resolve("iris");
    try {
      Files.createDirectories(extracted);
      for (String file : FILES) {
        try (InputStream in = DemoModel.class.getResourceAsStream("/demo/iris/" + file)) {
          if (in == null) {
            throw new CliException("the demo model is missing from this build (" + file + ")");
          }
          Files.copy(in, extracted.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the demo model into " + extracted, e);
    }
    return extracted;
  }
}
