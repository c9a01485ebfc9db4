package dev.kaskade.cli;

import dev.kaskade.workers.demo.MiniLm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

  /** The minilm demo's manifest folder (isvc.yaml and its model) under the data dir. */
  static Path minilmDir(Path dataDir) {
    return MiniLm.writeDemo(dataDir.resolve("demo").resolve(MiniLm.NAME));
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
