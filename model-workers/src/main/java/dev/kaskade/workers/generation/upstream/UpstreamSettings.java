package dev.kaskade.workers.generation.upstream;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.bridge.Upstream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An OpenAI-compatible server behind a generative model, from the predictor's parameters (the
 * runtime bridge's annotations {@code kaskade.dev/upstream-*}). Pure.
 *
 * @param base {@code http(s)://host:port} (a path prefix such as {@code /openai} is kept)
 * @param model the model name sent upstream ({@code upstream-model}); null = the request's model
 * @param parallel streams at once ({@code parallel}, default {@value #DEFAULT_PARALLEL})
 * @param timeout the longest one generation may take when the request has no earlier deadline
 *     ({@code upstream-timeout-ms}, default 300 s)
 * @param healthInterval how often readiness is polled ({@code upstream-health-interval-ms})
 * @param apiKey bearer token, read from the environment variable named by {@code
 *     upstream-api-key-env} (never from an annotation); null for none
 */
public record UpstreamSettings(
    URI base,
    String model,
    int parallel,
    Duration timeout,
    Duration healthInterval,
    String apiKey) {

  public static final int DEFAULT_PARALLEL = 64;
  public static final int MAX_PARALLEL = 1024;

  /** Predictor parameter naming the environment variable that holds the upstream's API key. */
  public static final String API_KEY_ENV = "upstream-api-key-env";

  /**
   * @throws ModelLoadException when the URL is not http(s) or a number is malformed
   */
  public static UpstreamSettings of(Map<String, String> parameters, UnaryOperator<String> env)
      throws ModelLoadException {
    String url = parameters.getOrDefault(Upstream.URL, "").trim().replaceAll("/+$", "");
    URI base;
    try {
      base = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("upstream URL " + url + " is not a URL", e);
    }
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
      throw new ModelLoadException(
          "the upstream URL of a generative model must be http(s)://host:port of an"
              + " OpenAI-compatible server, got '"
              + url
              + "'");
    }
    String model = parameters.get(Upstream.MODEL);
    String keyEnv = parameters.get(API_KEY_ENV);
    return new UpstreamSettings(
        base,
        model == null || model.isBlank() ? null : model.trim(),
        (int) number(parameters, "parallel", DEFAULT_PARALLEL, MAX_PARALLEL),
        Duration.ofMillis(number(parameters, Upstream.CALL_TIMEOUT_MS, 300_000, Long.MAX_VALUE)),
        Duration.ofMillis(number(parameters, Upstream.HEALTH_INTERVAL_MS, 1_000, 3_600_000)),
        keyEnv == null || keyEnv.isBlank() ? null : env.apply(keyEnv.trim()));
  }

  /** The name sent upstream for a request that asked for {@code requested}. */
  public String upstreamModel(String requested) {
    return model != null ? model : requested;
  }

  private static long number(Map<String, String> parameters, String key, long dflt, long max)
      throws ModelLoadException {
    String value = parameters.get(key);
    if (value == null || value.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ModelLoadException(
        "parameter " + key + " must be a whole number between 1 and " + max + ", got " + value);
  }

  @Override
  public String toString() {
    return base
        + (model == null ? "" : " (model " + model + ")")
        + (apiKey == null ? "" : " key ***");
  }
}
