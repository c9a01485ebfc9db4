package dev.kaskade.gateway.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The last minutes of gateway traffic per model, kept in memory for the console: fixed-size rings
 * of {@link #BUCKET_MS} buckets holding a call count, error counts and a log-scale latency
 * histogram, so memory is bounded ({@link #MAX_MODELS} models, each a few KiB) whatever the load.
 * Percentiles come from the histogram (within about 19% of the true value, the bucket width).
 */
public final class TrafficRing {
  public static final long BUCKET_MS = 5_000;
  public static final int BUCKETS = 120;
  public static final int MAX_MODELS = 200;

  /** Models beyond {@link #MAX_MODELS} are counted under this name. */
  public static final String OTHER = "(other)";

  private static final int HIST = 48;
  private static final double BASE_MS = 0.05;

  private final LongSupplier clockMs;
  private final Map<String, Ring> rings = new ConcurrentHashMap<>();

  public TrafficRing(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /** One point of a model's series: calls per second, latency percentiles in ms, errors. */
  public record Point(
      long timeMs,
      int calls,
      double ratePerSecond,
      double p50Ms,
      double p99Ms,
      int errors5xx,
      int errors4xx) {}

  /** Records one finished call. */
  public void record(String model, int status, long nanos) {
    String key = model == null || model.isEmpty() ? "unknown" : model;
    Ring ring = rings.get(key);
    if (ring == null) {
      ring = rings.size() >= MAX_MODELS ? rings.computeIfAbsent(OTHER, k -> new Ring()) : null;
      if (ring == null) {
        ring = rings.computeIfAbsent(key, k -> new Ring());
      }
    }
    ring.add(clockMs.getAsLong() / BUCKET_MS, status, nanos / 1e6);
  }

  /** Models with traffic in the ring. */
  public List<String> models() {
    return new ArrayList<>(new TreeSet<>(rings.keySet()));
  }

  /**
   * The model's series over the last {@code windowMs} (at most the ring's span), oldest first, one
   * point per bucket (empty buckets included, so a chart's time axis is regular). The newest bucket
   * is still filling; its rate is over the part elapsed.
   */
  public List<Point> series(String model, long windowMs) {
    long now = clockMs.getAsLong();
    long current = now / BUCKET_MS;
    int n = (int) Math.max(1, Math.min(BUCKETS, windowMs / BUCKET_MS));
    Ring ring = rings.get(model);
    List<Point> out = new ArrayList<>(n);
    for (long b = current - n + 1; b <= current; b++) {
      double seconds =
          b == current ? Math.max(1, now - b * BUCKET_MS) / 1000.0 : BUCKET_MS / 1000.0;
      out.add(ring == null ? empty(b) : ring.point(b, seconds));
    }
    return out;
  }

  private static Point empty(long bucket) {
    return new Point(bucket * BUCKET_MS, 0, 0, Double.NaN, Double.NaN, 0, 0);
  }

  /** The histogram bucket of a latency: bucket i holds (BASE·2^((i-1)/2), BASE·2^(i/2)] ms. */
  static int histBucket(double ms) {
    if (!(ms > BASE_MS)) {
      return 0;
    }
    int i = (int) Math.ceil(2 * (Math.log(ms / BASE_MS) / Math.log(2)));
    return Math.min(HIST - 1, i);
  }

  /** The upper bound of a histogram bucket in ms. */
  static double upperMs(int bucket) {
    return BASE_MS * Math.pow(2, bucket / 2.0);
  }

  /** The q-quantile (0..1) of a histogram, as the upper bound of the bucket holding it. */
  static double quantile(int[] hist, int total, double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < hist.length; i++) {
      seen += hist[i];
      if (seen >= Math.max(1, rank)) {
        return upperMs(i);
      }
    }
    return upperMs(hist.length - 1);
  }

  /** One model's ring; slot = bucket modulo size, reset when a newer bucket reuses it. */
  private static final class Ring {
    private final long[] bucketOf = new long[BUCKETS];
    private final int[] calls = new int[BUCKETS];
    private final int[] errors5xx = new int[BUCKETS];
    private final int[] errors4xx = new int[BUCKETS];
    private final int[][] hist = new int[BUCKETS][HIST];

    Ring() {
      java.util.Arrays.fill(bucketOf, -1);
    }

    synchronized void add(long bucket, int status, double ms) {
      int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
      if (bucketOf[slot] != bucket) {
        bucketOf[slot] = bucket;
        calls[slot] = 0;
        errors5xx[slot] = 0;
        errors4xx[slot] = 0;
        java.util.Arrays.fill(hist[slot], 0);
      }
      calls[slot]++;
      if (status >= 500) {
        errors5xx[slot]++;
      } else if (status >= 400) {
        errors4xx[slot]++;
      }
      hist[slot][histBucket(ms)]++;
    }

    synchronized Point point(long bucket, double seconds) {
      int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
      if (bucketOf[slot] != bucket) {
        return empty(bucket);
      }
      int n = calls[slot];
      return new Point(
          bucket * BUCKET_MS,
          n,
          n / seconds,
          quantile(hist[slot], n, 0.5),
          quantile(hist[slot], n, 0.99),
          errors5xx[slot],
          errors4xx[slot]);
    }
  }
}
