package dev.kaskade.workers.generation.tinylm;

import dev.kaskade.workers.backend.ModelLoadException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * A tiny-lm decoder's settings: {@code kaskade-lm.json}, then the predictor's parameters over it.
 *
 * @param context tokens fed to the model per step
 * @param maxConcurrent generations at once (parameter or config {@code max_concurrent})
 * @param tokenInterval the simulated decode time per token (predictor argument {@code
 *     --token_interval_ms}, else config {@code token_interval_ms}; 0 = as fast as the CPU goes)
 */
record TinyLmSettings(int context, int maxConcurrent, Duration tokenInterval) {
  static final String CONTEXT = "context";
  static final String MAX_CONCURRENT = "max_concurrent";
  static final String TOKEN_INTERVAL_MS = "token_interval_ms";

  /** The predictor argument {@code --token_interval_ms} (see reconciler PredictorArgs). */
  static final String TOKEN_INTERVAL_ARG = "args." + TOKEN_INTERVAL_MS;

  static final double MAX_TOKEN_INTERVAL_MS = 60_000;

  static TinyLmSettings of(JsonObject config, Map<String, String> parameters)
      throws ModelLoadException {
    String concurrent =
        parameters.getOrDefault(MAX_CONCURRENT, String.valueOf(config.getValue(MAX_CONCURRENT, 4)));
    String interval = parameters.get(TOKEN_INTERVAL_ARG);
    if (interval == null) {
      interval = String.valueOf(config.getValue(TOKEN_INTERVAL_MS, 0));
    }
    return new TinyLmSettings(
        config.getInteger(CONTEXT, 64), parseConcurrent(concurrent), parseInterval(interval));
  }

  private static int parseConcurrent(String text) throws ModelLoadException {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new ModelLoadException(
          "tiny-lm: " + MAX_CONCURRENT + " must be a whole number, got '" + text + "'");
    }
  }

  private static Duration parseInterval(String text) throws ModelLoadException {
    double ms;
    try {
      ms = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      ms = Double.NaN;
    }
    if (!(ms >= 0 && ms <= MAX_TOKEN_INTERVAL_MS)) {
      throw new ModelLoadException(
          "tiny-lm: "
              + TOKEN_INTERVAL_MS
              + " must be milliseconds per token from 0 to "
              + (long) MAX_TOKEN_INTERVAL_MS
              + " (e.g. 20 for about 50 tokens/s), got '"
              + text
              + "'");
    }
    return Duration.ofNanos(Math.round(ms * 1_000_000));
  }
}
