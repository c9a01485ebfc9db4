package dev.kaskade.processors.audit;

/**
 * Settings of the payload logger topology.
 *
 * @param windowMs how long a request waits for its response (and a response for its request) before
 *     it is emitted as NO_RESPONSE / RESPONSE_ONLY
 * @param punctuateMs how often (wall clock) expired entries are looked for
 * @param source the CloudEvents {@code ce-source} of emitted records
 * @param defaultMode logger mode of InferenceServices without a logger block (all, request,
 *     response)
 */
public record PayloadLoggerOptions(
    long windowMs, long punctuateMs, String source, String defaultMode) {
  public static final long DEFAULT_WINDOW_MS = 60_000;

  public PayloadLoggerOptions {
    if (windowMs <= 0 || punctuateMs <= 0) {
      throw new IllegalArgumentException("audit.window.ms and audit.punctuate.ms must be > 0");
    }
    LoggerPolicy.defaults(defaultMode); // validates the mode
  }

  public static PayloadLoggerOptions defaults() {
    return new PayloadLoggerOptions(DEFAULT_WINDOW_MS, 1000, "kaskade-payload-logger", "all");
  }

  public PayloadLoggerOptions withWindowMs(long window) {
    return new PayloadLoggerOptions(window, Math.min(punctuateMs, window), source, defaultMode);
  }
}
