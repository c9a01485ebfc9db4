package dev.kaskade.loadtests.product;

import dev.kaskade.loadtests.gateway.GatewayHttp;
import dev.kaskade.loadtests.gateway.IrisPayloads;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.Testbed;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Records written to the broker per inference: a count the box's noise does not touch, unlike
 * throughput and latency (docs/performance.md). Snapshots the end offset of every partition of
 * every topic (internal ones too: consumer offsets and transaction state are work the broker does),
 * makes {@code --calls} V2 REST calls with {@code --connections} in flight, waits until every call
 * is audited and then {@code --quiet} more (the commits that follow the last record), and snapshots
 * again. What an idle instance writes in that time (periodic offset commits; sampled for {@code
 * --quiet} before the calls) is taken off. Writes the total per inference and each topic's share as
 * metric lines to {@code --out} and a table to stdout.
 *
 * <p>What it leaves out: the pending store's deletes of recorded pairs, written one payload-logger
 * window (60 s by default) after each pair, which a run waiting that long would count too.
 */
public final class RecordsPerInference {
  static final String TOTAL = "records_per_inference";

  private RecordsPerInference() {}

  public static void main(String[] argv) throws Exception {
    Testbed.quietLogs();
    BenchArgs args = new BenchArgs(argv);
    int calls = args.integer("calls", 5000);
    Duration quiet = args.duration("quiet", Duration.ofSeconds(5));
    String auditTopic = Topics.withDefaultPrefix().auditPayloads();
    try (Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    args.string("bootstrap", "127.0.0.1:9092")));
        GatewayHttp http = new GatewayHttp(args.integer("http-port", 8080), 64)) {
      // An idle instance writes too (periodic offset commits): sampled first, and taken off.
      Map<String, Long> idleStart = endOffsets(admin);
      long idleStarted = System.nanoTime();
      TimeUnit.MILLISECONDS.sleep(quiet.toMillis());
      Map<String, Long> before = endOffsets(admin);
      long started = System.nanoTime();
      long failed = call(http, calls, args.integer("connections", 16));
      if (failed > 0) {
        throw new IllegalStateException(failed + " of " + calls + " calls failed");
      }
      awaitAudited(
          admin,
          auditTopic,
          before.getOrDefault(auditTopic, 0L) + calls,
          args.duration("timeout", Duration.ofMinutes(2)));
      TimeUnit.MILLISECONDS.sleep(quiet.toMillis());
      Map<String, Long> after = endOffsets(admin);
      Map<String, Long> background =
          TopicGrowth.background(
              idleStart,
              before,
              seconds(started - idleStarted),
              seconds(System.nanoTime() - started));
      List<TopicGrowth> growth = TopicGrowth.between(before, after, background, calls);
      System.out.println(table(growth, calls));
      List<String> lines = new ArrayList<>();
      lines.add(RunResults.metricLine(TOTAL, TopicGrowth.total(growth)));
      for (TopicGrowth topic : growth) {
        lines.add(RunResults.metricLine(TOTAL + ":" + topic.topic(), topic.perInference()));
      }
      LoadTool.append(Path.of(args.string("out", "target/records-per-inference.tsv")), lines);
    }
    System.exit(0); // Vert.x threads are not daemons
  }

  /** Makes the calls, at most {@code inFlight} at a time; returns how many failed. */
  private static long call(GatewayHttp http, int calls, int inFlight) throws InterruptedException {
    String run = Long.toString(System.nanoTime(), 36);
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong failed = new AtomicLong();
    for (int i = 0; i < calls; i++) {
      slots.acquire();
      CompletableFuture<?> done =
          http.post("/v2/models/iris/infer", IrisPayloads.v2(run + "-" + i, i));
      done.whenComplete(
          (ok, error) -> {
            if (error != null) {
              failed.incrementAndGet();
            }
            slots.release();
          });
    }
    slots.acquire(inFlight);
    return failed.get();
  }

  /**
   * Waits until the audit topic holds every call (its end offset also counts the transaction
   * markers, so this is a lower bound); the caller then waits {@code --quiet} more, for the commits
   * and offset commits that follow the last record.
   */
  private static void awaitAudited(Admin admin, String auditTopic, long auditEnd, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long end = 0;
    while (System.nanoTime() < deadline) {
      end = endOffsets(admin).getOrDefault(auditTopic, 0L);
      if (end >= auditEnd) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new IllegalStateException(
        "the audit topic reached " + end + " of " + auditEnd + " within " + timeout);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** The end offset of every topic, summed over its partitions. */
  static Map<String, Long> endOffsets(Admin admin) throws Exception {
    var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get().values()) {
      topic
          .partitions()
          .forEach(
              p ->
                  latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
    }
    Map<String, Long> ends = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get()
        .forEach((tp, info) -> ends.merge(tp.topic(), info.offset(), Long::sum));
    return ends;
  }

  static String table(List<TopicGrowth> growth, long calls) {
    StringBuilder md =
        new StringBuilder("| topic | records | per inference |\n| --- | --- | --- |\n");
    for (TopicGrowth topic : growth) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f |%n",
              topic.topic(),
              topic.records(),
              topic.perInference()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| **all topics**, %d V2 calls | %d | **%.2f** |%n",
            calls,
            growth.stream().mapToLong(TopicGrowth::records).sum(),
            TopicGrowth.total(growth)));
    return md.toString();
  }
}
