package dev.kaskade.workers.generation.tinylm;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kaskade.workers.backend.ModelFiles;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.onnx.OrtRuntime;
import dev.kaskade.workers.generation.GeneratorFactory;
import dev.kaskade.workers.generation.TextGenerator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Serves {@code modelFormat: tiny-lm}, and any ONNX folder whose {@code kaskade-lm.json} says it is
 * a byte-token decoder, with the {@link OnnxDecoder} loop on ONNX Runtime.
 */
public final class TinyLmGeneratorFactory implements GeneratorFactory {

  @Override
  public String name() {
    return TinyLm.FORMAT;
  }

  @Override
  public boolean accepts(ModelSource source) {
    return TinyLm.FORMAT.equals(source.format().toLowerCase(Locale.ROOT))
        || Files.isRegularFile(config(source.localPath()));
  }

  @Override
  public TextGenerator open(ModelSource source) throws ModelLoadException {
    Path file = ModelFiles.find(source.localPath(), List.of(".onnx"));
    JsonObject config = readConfig(file.getParent().resolve(TinyLm.CONFIG_FILE));
    if (!"bytes".equals(config.getString("tokenizer", "bytes"))) {
      throw new ModelLoadException(
          "tiny-lm: only the byte tokenizer is supported, config says "
              + config.getString("tokenizer"));
    }
    TinyLmSettings settings = TinyLmSettings.of(config, source.parameters());
    try {
      OrtEnvironment env = OrtRuntime.environment();
      OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
      return new OnnxDecoder(
          env,
          session,
          settings.context(),
          settings.maxConcurrent(),
          TokenPacer.of(settings.tokenInterval()));
    } catch (OrtException | RuntimeException | LinkageError e) {
      throw new ModelLoadException(
          "ONNX Runtime could not load " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static Path config(Path local) {
    return Files.isDirectory(local)
        ? local.resolve(TinyLm.CONFIG_FILE)
        : local.resolveSibling(TinyLm.CONFIG_FILE);
  }

  private static JsonObject readConfig(Path file) throws ModelLoadException {
    if (!Files.isRegularFile(file)) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }
}
