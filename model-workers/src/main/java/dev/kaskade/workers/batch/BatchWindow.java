package dev.kaskade.workers.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Collects requests until the policy says flush: enough rows, or the oldest has waited {@code
 * maxLatencyMs}. Time is passed in, so the class is pure and testable. Not thread-safe: one
 * consumer loop owns it.
 */
public final class BatchWindow<T> {
  private BatchPolicy policy;
  private final List<Entry<T>> entries = new ArrayList<>();

  private record Entry<T>(T item, long rows, long addedMs) {}

  public BatchWindow(BatchPolicy policy) {
    this.policy = policy;
  }

  /** Flushes by another policy from now on (a model that brings its own batching loaded). */
  public void policy(BatchPolicy newPolicy) {
    this.policy = newPolicy;
  }

  public void add(T item, long itemRows, long nowMs) {
    entries.add(new Entry<>(item, Math.max(1, itemRows), nowMs));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /** Whether the collected requests should run now. */
  public boolean due(long nowMs) {
    if (entries.isEmpty()) {
      return false;
    }
    long rows = entries.stream().mapToLong(Entry::rows).sum();
    return rows >= policy.maxBatchSize() || nowMs - oldestMs() >= policy.maxLatencyMs();
  }

  /** How long the loop may wait for more requests before the window is due. */
  public long waitMs(long nowMs, long idleMs) {
    if (entries.isEmpty()) {
      return idleMs;
    }
    return Math.max(0, Math.min(idleMs, oldestMs() + policy.maxLatencyMs() - nowMs));
  }

  /** Takes every collected request and resets the window. */
  public List<T> drain() {
    List<T> out = entries.stream().map(Entry::item).toList();
    entries.clear();
    return out;
  }

  /** Drops requests the predicate matches (e.g. those of revoked partitions). */
  public void removeIf(Predicate<T> predicate) {
    entries.removeIf(e -> predicate.test(e.item()));
  }

  private long oldestMs() {
    return entries.get(0).addedMs();
  }
}
