package dev.kaskade.workers.backend.huggingface;

import dev.kaskade.workers.backend.ModelLoadException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the backend reads from a model's {@code config.json}: {@code architectures} (to infer the
 * task), {@code id2label} (class names) and {@code max_position_embeddings} (the longest input).
 *
 * @param maxPositions {@code max_position_embeddings}, 0 when absent
 */
record HfConfig(List<String> architectures, Map<Integer, String> id2label, int maxPositions) {
  static final HfConfig EMPTY = new HfConfig(List.of(), Map.of(), 0);

  HfConfig {
    architectures = List.copyOf(architectures);
    id2label = Map.copyOf(id2label);
  }

  /** Reads {@code config.json}; a missing file is an empty config. */
  static HfConfig read(Path file) throws ModelLoadException {
    if (!Files.isRegularFile(file)) {
      return EMPTY;
    }
    try {
      return parse(Files.readString(file));
    } catch (IOException | DecodeException | ClassCastException e) {
      throw new ModelLoadException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  static HfConfig parse(String json) {
    JsonObject config = new JsonObject(json);
    List<String> architectures = new ArrayList<>();
    JsonArray archs = config.getJsonArray("architectures", new JsonArray());
    archs.forEach(a -> architectures.add(String.valueOf(a)));
    Map<Integer, String> labels = new TreeMap<>();
    config
        .getJsonObject("id2label", new JsonObject())
        .forEach(
            e -> labels.put(Integer.parseInt(e.getKey().trim()), String.valueOf(e.getValue())));
    return new HfConfig(architectures, labels, config.getInteger("max_position_embeddings", 0));
  }

  /** The class name of an index, or {@code LABEL_<i>} as transformers names unnamed classes. */
  String label(int index) {
    return id2label.getOrDefault(index, "LABEL_" + index);
  }
}
