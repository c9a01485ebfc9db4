package dev.kaskade.gateway.console;

import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.OutlierScore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The latest drift test results and outlier scores the stream processors published, per model, in
 * bounded memory: {@link #POINTS} results per feature, {@link #SCORES} scores per model, {@link
 * #MAX_MODELS} models and {@link #MAX_FEATURES} features per model (more are dropped). Pure state;
 * {@link MonitorFeed} fills it from the monitor topics.
 */
public final class MonitorStore {
  static final int POINTS = 240;
  static final int SCORES = 2_000;
  static final int MAX_MODELS = 200;
  static final int MAX_FEATURES = 256;
  static final int HISTOGRAM_BINS = 20;

  private final Map<String, Map<String, Deque<DriftAlert>>> drift = new TreeMap<>();
  private final Map<String, Deque<Score>> outliers = new TreeMap<>();

  private record Score(String id, double score, boolean outlier, double threshold, long timeMs) {}

  static String key(String namespace, String model) {
    return namespace + "/" + model;
  }

  public synchronized void add(DriftAlert a) {
    String key = key(a.getNamespace(), a.getModel());
    if (!drift.containsKey(key) && drift.size() >= MAX_MODELS) {
      return;
    }
    Map<String, Deque<DriftAlert>> features = drift.computeIfAbsent(key, k -> new TreeMap<>());
    if (!features.containsKey(a.getFeature()) && features.size() >= MAX_FEATURES) {
      return;
    }
    bounded(features.computeIfAbsent(a.getFeature(), f -> new ArrayDeque<>()), a, POINTS);
  }

  public synchronized void add(OutlierScore s) {
    String key = key(s.getNamespace(), s.getModel());
    if (!outliers.containsKey(key) && outliers.size() >= MAX_MODELS) {
      return;
    }
    Deque<Score> scores = outliers.computeIfAbsent(key, k -> new ArrayDeque<>());
    for (int i = 0; i < s.getScores().size(); i++) {
      boolean outlier = i < s.getOutlier().size() && s.getOutlier().get(i);
      String id = s.getScores().size() == 1 ? s.getId() : s.getId() + "#" + i;
      bounded(
          scores,
          new Score(id, s.getScores().get(i), outlier, s.getThreshold(), s.getTimestampMs()),
          SCORES);
    }
  }

  private static <T> void bounded(Deque<T> deque, T item, int max) {
    deque.addLast(item);
    while (deque.size() > max) {
      deque.removeFirst();
    }
  }

  /** Models (namespace/name) with drift results or outlier scores. */
  public synchronized List<String> models() {
    TreeSet<String> all = new TreeSet<>(drift.keySet());
    all.addAll(outliers.keySet());
    return new ArrayList<>(all);
  }

  /** One model's drift series per feature, latest alert and outlier-score histogram. */
  public synchronized JsonObject view(String namespace, String model) {
    String key = key(namespace, model);
    JsonObject out = new JsonObject().put("namespace", namespace).put("model", model);
    JsonArray features = new JsonArray();
    DriftAlert latestAlert = null;
    for (var e : drift.getOrDefault(key, Map.of()).entrySet()) {
      JsonArray points = new JsonArray();
      for (DriftAlert a : e.getValue()) {
        points.add(
            new JsonObject()
                .put("time_ms", a.getWindowEnd())
                .put("p_value", a.getPValue())
                .put("statistic", a.getStatistic())
                .put("threshold", a.getThreshold())
                .put("drift", a.getDrift())
                .put("sample_size", a.getSampleSize()));
        if (a.getDrift()
            && (latestAlert == null || a.getWindowEnd() >= latestAlert.getWindowEnd())) {
          latestAlert = a;
        }
      }
      DriftAlert last = e.getValue().peekLast();
      features.add(
          new JsonObject()
              .put("feature", e.getKey())
              .put("test", last == null ? null : last.getTest())
              .put("threshold", last == null ? null : last.getThreshold())
              .put("points", points));
    }
    out.put("features", features);
    out.put("latest_alert", latestAlert == null ? null : alert(latestAlert));
    out.put("outliers", outlierView(outliers.get(key)));
    return out;
  }

  private static JsonObject alert(DriftAlert a) {
    return new JsonObject()
        .put("feature", a.getFeature())
        .put("test", a.getTest())
        .put("p_value", a.getPValue())
        .put("threshold", a.getThreshold())
        .put("window_start_ms", a.getWindowStart())
        .put("window_end_ms", a.getWindowEnd())
        .put("sample_size", a.getSampleSize());
  }

  /** A histogram of the kept scores, the threshold and the highest-scoring requests. */
  static JsonObject outlierView(Deque<Score> scores) {
    JsonObject o = new JsonObject();
    if (scores == null || scores.isEmpty()) {
      return o.put("count", 0).put("bins", new JsonArray()).put("top", new JsonArray());
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int flagged = 0;
    for (Score s : scores) {
      min = Math.min(min, s.score());
      max = Math.max(max, s.score());
      flagged += s.outlier() ? 1 : 0;
    }
    double threshold = scores.peekLast().threshold();
    max = Math.max(max, threshold);
    double width = max > min ? (max - min) / HISTOGRAM_BINS : 1;
    int[] counts = new int[HISTOGRAM_BINS];
    for (Score s : scores) {
      counts[Math.min(HISTOGRAM_BINS - 1, (int) ((s.score() - min) / width))]++;
    }
    JsonArray bins = new JsonArray();
    for (int i = 0; i < HISTOGRAM_BINS; i++) {
      bins.add(
          new JsonObject()
              .put("from", min + i * width)
              .put("to", min + (i + 1) * width)
              .put("count", counts[i]));
    }
    List<Score> top = new ArrayList<>(scores);
    top.sort((a, b) -> Double.compare(b.score(), a.score()));
    JsonArray topJson = new JsonArray();
    top.stream()
        .limit(10)
        .forEach(
            s ->
                topJson.add(
                    new JsonObject()
                        .put("id", s.id())
                        .put("score", s.score())
                        .put("outlier", s.outlier())
                        .put("time_ms", s.timeMs())));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("count", scores.size());
    summary.put("outliers", flagged);
    summary.put("threshold", threshold);
    return new JsonObject(summary).put("bins", bins).put("top", topJson);
  }
}
