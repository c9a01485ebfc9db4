package dev.kaskade.workers.backend.huggingface;

import dev.kaskade.workers.backend.ModelLoadException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code tokenizer_config.json}: only {@code model_max_length}, the truncation length. */
final class TokenizerConfig {
  /** transformers writes a huge sentinel when the tokenizer sets no limit. */
  private static final long NO_LIMIT = 1_000_000;

  private TokenizerConfig() {}

  /** {@code model_max_length}, or 0 when the file or a real limit is absent. */
  static int modelMaxLength(Path file) throws ModelLoadException {
    if (!Files.isRegularFile(file)) {
      return 0;
    }
    try {
      Object value = new JsonObject(Files.readString(file)).getValue("model_max_length");
      if (value instanceof Number n && n.doubleValue() > 0 && n.doubleValue() < NO_LIMIT) {
        return n.intValue();
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }
}
