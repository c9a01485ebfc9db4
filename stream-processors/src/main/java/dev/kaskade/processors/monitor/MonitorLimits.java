package dev.kaskade.processors.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.schemas.runtime.KaskadeContext;
import java.util.List;

/**
 * Bounds on what one request can make the monitor store and publish (security review M12): rows
 * taken per request, and the feature width, which fixes how many per-feature gauges and tests a
 * model gets. Rows beyond the cap are dropped, not queued; rows of another width than the model's
 * are dropped too.
 *
 * @param maxRowsPerRequest {@code processors.monitor.max.rows.per.request} (default 100)
 * @param maxFeatures {@code processors.monitor.max.features} (default 100)
 */
public record MonitorLimits(int maxRowsPerRequest, int maxFeatures) {
  public static final String MAX_ROWS_PER_REQUEST = "processors.monitor.max.rows.per.request";
  public static final String MAX_FEATURES = "processors.monitor.max.features";
  public static final MonitorLimits DEFAULTS = new MonitorLimits(100, 100);

  public MonitorLimits {
    if (maxRowsPerRequest < 1 || maxFeatures < 1) {
      throw new IllegalArgumentException(
          "settings " + MAX_ROWS_PER_REQUEST + " and " + MAX_FEATURES + " must be >= 1");
    }
  }

  public static MonitorLimits from(KaskadeContext ctx) {
    return new MonitorLimits(
        ctx.intSetting(MAX_ROWS_PER_REQUEST, DEFAULTS.maxRowsPerRequest()),
        ctx.intSetting(MAX_FEATURES, DEFAULTS.maxFeatures()));
  }

  /**
   * The rows of one request the monitor takes.
   *
   * @param rows kept rows, all {@code width} wide
   * @param width the model's width: the fixed one, or (when none was known) the first row's
   * @param overCap rows dropped beyond {@link #maxRowsPerRequest}
   * @param wrongWidth rows dropped for another width (or wider than {@link #maxFeatures})
   */
  public record Admitted(List<List<JsonNode>> rows, int width, int overCap, int wrongWidth) {}

  /** Admits rows of a request; {@code fixedWidth} ≤ 0 means the model's width is not known yet. */
  public Admitted admit(List<List<JsonNode>> rows, int fixedWidth) {
    int width = fixedWidth > 0 ? fixedWidth : rows.isEmpty() ? 0 : rows.get(0).size();
    List<List<JsonNode>> capped = rows.subList(0, Math.min(rows.size(), maxRowsPerRequest));
    if (width < 1 || width > maxFeatures) {
      return new Admitted(List.of(), fixedWidth, rows.size() - capped.size(), capped.size());
    }
    List<List<JsonNode>> kept = capped.stream().filter(r -> r.size() == width).toList();
    return new Admitted(kept, width, rows.size() - capped.size(), capped.size() - kept.size());
  }
}
