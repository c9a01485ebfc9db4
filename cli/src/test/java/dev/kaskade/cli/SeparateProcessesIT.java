package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kaskade as separate {@code kaskade <component>} processes on one Kafka and registry (started by
 * this test): a standalone reconciler, the processors, the audit sink, two workers and two
 * gateways. Both gateways answer and both workers share the revision's partitions; after {@code
 * kill -9} of one worker under steady load every call is answered or fails with a timeout by its
 * deadline, and the audit holds every answered request exactly once.
 */
class SeparateProcessesIT {
  private static final Duration START = Duration.ofMinutes(4);
  private static final Duration DEADLINE = Duration.ofSeconds(8);
  private static final Duration AFTER_KILL = Duration.ofSeconds(30);
  private static final int CLIENTS = 4;
  private static final int TIMED_OUT = 504;

  @TempDir Path workDir;
  private final IrisClient iris = new IrisClient();

  /** One call: which gateway, when sent and done (nanoTime), the HTTP status or -1 (no answer). */
  record Call(String id, int gateway, long sent, long done, int status) {
    Duration latency() {
      return Duration.ofNanos(done - sent);
    }
  }

  @Test
  void twoGatewaysAndTwoWorkersShareTheLoadAndAWorkerKilledMinus9LosesNoAnsweredCall()
      throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(workDir)) {
      Path auditDir = workDir.resolve("audit-sink");
      cluster.start("reconciler", "--standalone", "--manifests", irisManifests().toString());
      cluster.start("processors");
      // Outside `up` the sink only creates its signing key when told to (a cluster mounts one).
      cluster.start(
          "audit-sink", "--data-dir", auditDir.toString(), "--set", "audit.signing.generate=true");
      KaskadeProcess doomed = cluster.start("worker", "--metrics-port", "0");
      cluster.start("worker", "--metrics-port", "0");
      int[] gateways = {Ports.freePort(), Ports.freePort()};
      for (int port : gateways) {
        cluster.start("gateway", "--http-port", Integer.toString(port), "--grpc-port", "-1");
      }
      cluster.awaitReady(START);
      for (int port : gateways) {
        await().atMost(Duration.ofSeconds(90)).until(() -> iris.ready(port));
        assertThat(iris.infer(port, "warm-" + port, Duration.ofSeconds(20)).statusCode())
            .isEqualTo(200);
      }
      assertThat(cluster.admin().listTopics().names().get(10, TimeUnit.SECONDS))
          .as("a reply topic per gateway")
          .filteredOn(t -> t.startsWith("kaskade.gateway.gw-") && t.endsWith(".replies"))
          .hasSize(2);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(cluster.workerMembersWithPartitions("iris")).isEqualTo(2));

      ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
      AtomicBoolean loading = new AtomicBoolean(true);
      List<Thread> clients = startLoad(gateways, loading, calls);
      await().atMost(Duration.ofSeconds(60)).until(() -> answered(calls).size() >= 40);
      long killed = System.nanoTime();
      doomed.kill();
      Thread.sleep(AFTER_KILL.toMillis());
      loading.set(false);
      for (Thread client : clients) {
        client.join();
      }

      report(calls, killed);
      assertThat(calls)
          .allSatisfy(
              call -> {
                assertThat(call.status()).as(call.toString()).isIn(200, TIMED_OUT);
                if (call.status() == TIMED_OUT) {
                  assertThat(call.latency())
                      .as("timed out by its deadline: %s", call)
                      .isLessThan(DEADLINE.plusSeconds(2));
                }
              });
      for (int port : gateways) {
        assertThat(calls)
            .as("gateway %d answers after the kill", port)
            .anyMatch(c -> c.gateway() == port && c.sent() > killed && c.status() == 200);
      }
      List<String> answered = answered(calls);
      assertThat(answered).doesNotHaveDuplicates();
      Map<String, Long> audited = awaitAudited(auditDir, answered);
      assertThat(audited).allSatisfy((id, times) -> assertThat(times).as(id).isOne());
    }
  }

  /** The demo iris manifest with its model (extracted from the CLI's resources). */
  private Path irisManifests() {
    return DemoModel.manifestDir(workDir.resolve("demo"));
  }

  /** Closed-loop clients, each alternating between the gateways, every call with a deadline. */
  private List<Thread> startLoad(int[] gateways, AtomicBoolean loading, Collection<Call> calls) {
    AtomicInteger next = new AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (loading.get()) {
                      int n = next.getAndIncrement();
                      calls.add(call("sp-" + n, gateways[n % gateways.length]));
                    }
                  }));
    }
    return clients;
  }

  private Call call(String id, int port) {
    long sent = System.nanoTime();
    int status;
    try {
      HttpResponse<String> response = iris.infer(port, id, DEADLINE.plusSeconds(5), DEADLINE);
      status = response.statusCode();
    } catch (Exception e) {
      status = -1; // no answer within deadline + 5 s, or the connection failed
    }
    return new Call(id, port, sent, System.nanoTime(), status);
  }

  private static List<String> answered(Collection<Call> calls) {
    return calls.stream().filter(c -> c.status() == 200).map(Call::id).toList();
  }

  /** The failover figures docs/benchmarks.md quotes. */
  private static void report(Collection<Call> calls, long killed) {
    long lastFailure =
        calls.stream().filter(c -> c.status() != 200).mapToLong(Call::done).max().orElse(killed);
    Duration slowestAnswered =
        calls.stream()
            .filter(c -> c.status() == 200 && c.done() > killed)
            .map(Call::latency)
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    System.out.printf(
        "separate processes: %d calls, %d answered, %d timed out; last timeout %.1f s after the"
            + " kill; slowest answered call after the kill %d ms%n",
        calls.size(),
        answered(calls).size(),
        calls.stream().filter(c -> c.status() == TIMED_OUT).count(),
        (lastFailure - killed) / 1e9,
        slowestAnswered.toMillis());
  }

  /** Waits until every answered id is audited; returns how often each audited id appears. */
  private Map<String, Long> awaitAudited(Path auditDir, List<String> answered) {
    List<String> ids = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              ids.clear();
              KaskadeProcess.auditRecords(workDir, auditDir, "iris", Duration.ofSeconds(60))
                  .forEach(r -> ids.add(r.get("id").asText()));
              return ids.containsAll(answered);
            });
    return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }
}
