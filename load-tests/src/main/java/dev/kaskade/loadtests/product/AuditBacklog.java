package dev.kaskade.loadtests.product;

import dev.kaskade.loadtests.workers.BenchArgs;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the audit path trails the calls: the records the payload logger and the audit sink have
 * not yet committed past (their consumer groups' lag against the last stable offsets), and how long
 * they take to catch up once the load stops. The two run below the calls' threads
 * (BackgroundPriority), so under a load that takes both cores they fall behind and catch up after.
 */
final class AuditBacklog {
  /** The default group ids of the payload logger (its application id) and of the audit sink. */
  static final List<String> GROUPS = List.of("kaskade-payload-logger", "kaskade-audit-sink");

  private AuditBacklog() {}

  /** Records behind, summed over both groups and every partition they have committed on. */
  static long records(Admin admin) throws Exception {
    return byGroupAndTopic(admin).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Records behind per {@code <group> <topic>}, for a look at where a backlog is. */
  static Map<String, Long> byGroupAndTopic(Admin admin) throws Exception {
    Map<String, Long> behind = new java.util.TreeMap<>();
    for (String group : GROUPS) {
      Map<TopicPartition, Long> committed = new HashMap<>();
      admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .forEach(
              (partition, offset) -> {
                if (offset != null) {
                  committed.put(partition, offset.offset());
                }
              });
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
      var stable =
          admin
              .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get();
      for (var end : stable.entrySet()) {
        long lag = Math.max(0, end.getValue().offset() - committed.get(end.getKey()));
        behind.merge(group + " " + end.getKey().topic(), lag, Long::sum);
      }
    }
    return behind;
  }

  /**
   * Seconds until the backlog is no larger than {@code settled} (what stays behind at rest: a
   * transaction's commit marker after a group's last committed record counts as an offset), polled
   * every 250 ms; -1 when it is not reached within {@code timeout}.
   */
  static double secondsToCatchUp(Admin admin, long settled, Duration timeout) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (records(admin) <= settled) {
        return (System.nanoTime() - start) / 1e9;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    return -1;
  }

  /** {@code --bootstrap host:port}: prints the backlog, for a look at a running {@code up}. */
  public static void main(String[] args) throws Exception {
    String bootstrap = new BenchArgs(args).string("bootstrap", "127.0.0.1:9092");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      byGroupAndTopic(admin).forEach((where, lag) -> System.out.println(where + " " + lag));
    }
  }
}
