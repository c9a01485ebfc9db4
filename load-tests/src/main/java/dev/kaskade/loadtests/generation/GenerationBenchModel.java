package dev.kaskade.loadtests.generation;

import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.workers.generation.tinylm.TinyLm;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes {@code tiny-lm-bench}: the demo kaskade-tiny-lm with 16 generation slots instead of 4, so
 * that 10 concurrent streams do not queue for a slot (a slot wait is the model's capacity, not the
 * gateway's or Kafka's overhead), paced at {@value #TOKEN_INTERVAL_MS} ms per token like a real
 * model (≈ 50 tokens/s per stream; the bare tiny-lm makes thousands per second, so a few streams
 * saturate a small machine and the TTFT "overhead" measured would be CPU queueing), and its
 * InferenceService manifest for {@code kaskade up --manifests DIR}. Usage: {@code
 * GenerationBenchModel DIR [--token-interval-ms 20]} (0 = unpaced).
 */
public final class GenerationBenchModel {
  public static final String NAME = "tiny-lm-bench";
  static final int SLOTS = 16;
  static final double TOKEN_INTERVAL_MS = 20;

  /** tiny-lm's config key for the simulated decode time per token. */
  static final String TOKEN_INTERVAL_KEY = "token_interval_ms";

  private GenerationBenchModel() {}

  public static void main(String[] args) throws IOException {
    boolean hasDir = args.length > 0 && !args[0].startsWith("--");
    Path dir = Path.of(hasDir ? args[0] : "target/generation-bench").toAbsolutePath();
    BenchArgs options = new BenchArgs(hasDir ? Arrays.copyOfRange(args, 1, args.length) : args);
    double interval =
        Double.parseDouble(options.string("token-interval-ms", Double.toString(TOKEN_INTERVAL_MS)));
    Path model = TinyLm.write(dir.resolve("model"));
    Path config = model.resolve(TinyLm.CONFIG_FILE);
    JsonObject json = new JsonObject(Files.readString(config, StandardCharsets.UTF_8));
    json.put("max_concurrent", SLOTS).put(TOKEN_INTERVAL_KEY, interval);
    Files.writeString(config, json.encodePrettily());
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
    System.out.println(
        "wrote "
            + dir.resolve(NAME + ".yaml")
            + " (model in "
            + model
            + ", "
            + describePace(interval)
            + ")");
  }

  /**
   * The pace written into {@code DIR/model}'s config by {@link #main}, for the benchmark's report;
   * a sentence saying it is unknown when that folder does not hold one.
   */
  static String pace(Path dir) {
    Path config = dir.resolve("model").resolve(TinyLm.CONFIG_FILE);
    try {
      JsonObject json = new JsonObject(Files.readString(config, StandardCharsets.UTF_8));
      return describePace(json.getDouble(TOKEN_INTERVAL_KEY, 0.0))
          + " ("
          + TOKEN_INTERVAL_KEY
          + " in "
          + config
          + ")";
    } catch (IOException | RuntimeException e) {
      return "unknown: no " + config + " (pass --manifests with GenerationBenchModel's folder)";
    }
  }

  static String describePace(double intervalMs) {
    return intervalMs <= 0
        ? "unpaced: as fast as the CPU decodes"
        : "%s ms per token ≈ %s tokens/s per stream"
            .formatted(fmt(intervalMs), fmt(1000 / intervalMs));
  }

  private static String fmt(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
