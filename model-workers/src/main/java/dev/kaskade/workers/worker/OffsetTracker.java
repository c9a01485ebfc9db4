package dev.kaskade.workers.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * At-least-once bookkeeping: which offsets of each partition are still unanswered. The committable
 * position of a partition is its lowest unanswered offset, or one past the highest seen when all
 * are answered, so a request waiting for its model never lets a later commit skip it. Pure.
 */
public final class OffsetTracker {
  private final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  public void received(TopicPartition partition, long offset) {
    pending.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
    next.merge(partition, offset + 1, Math::max);
  }

  public void answered(TopicPartition partition, long offset) {
    TreeSet<Long> offsets = pending.get(partition);
    if (offsets != null) {
      offsets.remove(offset);
    }
  }

  /** Positions that moved since the last call; record them as committed. */
  public Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> entry : next.entrySet()) {
      TreeSet<Long> offsets = pending.get(entry.getKey());
      long position = offsets == null || offsets.isEmpty() ? entry.getValue() : offsets.first();
      Long last = committed.get(entry.getKey());
      if (last == null || position > last) {
        out.put(entry.getKey(), new OffsetAndMetadata(position));
        committed.put(entry.getKey(), position);
      }
    }
    return out;
  }

  /** Forgets a partition (revoked: its new owner re-reads the unanswered records). */
  public void forget(TopicPartition partition) {
    pending.remove(partition);
    next.remove(partition);
    committed.remove(partition);
  }

  public int pendingCount() {
    return pending.values().stream().mapToInt(TreeSet::size).sum();
  }
}
