package dev.kaskade.processors.explain;

import dev.kaskade.schemas.runtime.KaskadeContext;

/**
 * Operator caps on what one explain request may cost (settings, not manifest fields: a tenant must
 * not be able to raise them).
 *
 * @param maxInstances {@value #MAX_INSTANCES}: instances per explain request (default 100); more
 *     are refused with PAYLOAD_TOO_LARGE (413)
 * @param maxBatchRows {@value #MAX_BATCH_ROWS}: rows of the one batched model call, background +
 *     instances x (1 + coalitions x background) (default 500000: one instance of a 12-feature model
 *     with 100 background rows needs 409401, one of iris 1401); more are refused with
 *     PAYLOAD_TOO_LARGE. A row costs about 3 x 8 bytes per feature while it is built and sent.
 * @param maxInFlight {@value #MAX_IN_FLIGHT}: explanations computed or awaiting their model at once
 *     (default 8); more are refused with RESOURCE_EXHAUSTED (429)
 * @param threads {@value #THREADS}: threads that build batches and solve attributions (default 2)
 * @param backgroundRowsPerRequest {@value #BACKGROUND_ROWS_PER_REQUEST}: rows one request may add
 *     to a traffic-learned background (default 10), so one request cannot fill it
 */
public record ExplainerLimits(
    int maxInstances,
    int maxBatchRows,
    int maxInFlight,
    int threads,
    int backgroundRowsPerRequest) {
  public static final String MAX_INSTANCES = "processors.explainer.max.instances";
  public static final String MAX_BATCH_ROWS = "processors.explainer.max.batch.rows";
  public static final String MAX_IN_FLIGHT = "processors.explainer.max.in.flight";
  public static final String THREADS = "processors.explainer.threads";
  public static final String BACKGROUND_ROWS_PER_REQUEST =
      "processors.explainer.background.rows.per.request";

  public static ExplainerLimits defaults() {
    return new ExplainerLimits(100, 500_000, 8, 2, 10);
  }

  public static ExplainerLimits from(KaskadeContext ctx) {
    ExplainerLimits d = defaults();
    return new ExplainerLimits(
        positive(ctx, MAX_INSTANCES, d.maxInstances()),
        positive(ctx, MAX_BATCH_ROWS, d.maxBatchRows()),
        positive(ctx, MAX_IN_FLIGHT, d.maxInFlight()),
        positive(ctx, THREADS, d.threads()),
        positive(ctx, BACKGROUND_ROWS_PER_REQUEST, d.backgroundRowsPerRequest()));
  }

  private static int positive(KaskadeContext ctx, String key, int defaultValue) {
    int value = ctx.intSetting(key, defaultValue);
    if (value <= 0) {
      throw new IllegalArgumentException("setting " + key + " must be positive, got " + value);
    }
    return value;
  }
}
