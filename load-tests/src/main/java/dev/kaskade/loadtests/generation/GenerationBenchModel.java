package dev.kaskade.loadtests.generation;

import dev.kaskade.workers.generation.tinylm.TinyLm;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code tiny-lm-bench}: the demo kaskade-tiny-lm with 16 generation slots instead of 4, so
 * that 10 concurrent streams do not queue for a slot (a slot wait is the model's capacity, not the
 * gateway's or Kafka's overhead), and its InferenceService manifest for {@code kaskade up
 * --manifests DIR}. Usage: {@code GenerationBenchModel DIR}.
 */
public final class GenerationBenchModel {
  public static final String NAME = "tiny-lm-bench";
  static final int SLOTS = 16;

  private GenerationBenchModel() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/generation-bench").toAbsolutePath();
    Path model = TinyLm.write(dir.resolve("model"));
    Path config = model.resolve(TinyLm.CONFIG_FILE);
    JsonObject json = new JsonObject(Files.readString(config, StandardCharsets.UTF_8));
    Files.writeString(config, json.put("max_concurrent", SLOTS).encodePrettily());
    Files.writeString(
        dir.resolve(NAME + ".yaml"),
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: %s
          namespace: default
        spec:
          predictor:
            model:
              modelFormat:
                name: tiny-lm
              storageUri: %s
        """
            .formatted(NAME, model.toUri()));
    System.out.println("wrote " + dir.resolve(NAME + ".yaml") + " (model in " + model + ")");
  }
}
