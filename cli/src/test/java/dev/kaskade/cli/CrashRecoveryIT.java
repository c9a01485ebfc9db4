package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code kaskade up} under load, then {@code up} again on the same data dir:
 * ready in seconds (not after the dead instance's 45 s group sessions), every answered request in
 * the audit exactly once, the chain verifies, and serving goes on.
 */
class CrashRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** The requirement on a machine where a fresh {@code up} takes about 10-15 s. */
  private static final Duration RESTART_LIMIT = Duration.ofSeconds(15);

  private static final int CLIENTS = 4;

  @TempDir Path workDir;
  private final IrisClient iris = new IrisClient();

  @Test
  void restartAfterKillMinus9UnderLoadIsReadyInSecondsAndLosesNoAnsweredRequest() throws Exception {
    Path dataDir = workDir.resolve("data");
    String[] args = upArgs(dataDir);
    int httpPort = Integer.parseInt(args[4]);
    Set<String> answered = ConcurrentHashMap.newKeySet();
    Duration firstStart;
    long started = System.nanoTime();
    try (KaskadeProcess first = KaskadeProcess.start(workDir, args)) {
      assertThat(first.awaitLine(UpCommand.READY_LINE, Duration.ofMinutes(3)))
          .as("output: %s", first.output())
          .isTrue();
      firstStart = Duration.ofNanos(System.nanoTime() - started);
      await().atMost(WAIT).until(() -> ready(httpPort));
      AtomicBoolean loading = new AtomicBoolean(true);
      List<Thread> clients = startLoad(httpPort, loading, answered);
      await().atMost(WAIT).until(() -> answered.size() >= 40);
      first.kill();
      loading.set(false);
      for (Thread client : clients) {
        client.join();
      }
    }

    long restarted = System.nanoTime();
    // The launcher's start phases at INFO ("Kafka up after ...", "started <component> after ..."),
    // so a restart that is slow shows in the failure message where its time went.
    try (KaskadeProcess second =
        KaskadeProcess.start(
            workDir,
            Map.of(),
            List.of("-Dorg.slf4j.simpleLogger.log.dev.kaskade.cli=info"),
            args)) {
      assertThat(second.awaitLine(UpCommand.READY_LINE, Duration.ofMinutes(2)))
          .as("output: %s", second.output())
          .isTrue();
      Duration toReady = Duration.ofNanos(System.nanoTime() - restarted);
      assertThat(second.output()).anyMatch(l -> l.contains(StandaloneLauncher.RECOVERED_LINE));
      System.out.printf("first start %s, restart after kill -9 %s%n", firstStart, toReady);
      assertThat(toReady)
          .as(
              "restart after kill -9 took %d ms, first start %d ms, limit %d ms; output: %s",
              toReady.toMillis(),
              firstStart.toMillis(),
              restartLimit(firstStart).toMillis(),
              second.output())
          .isLessThanOrEqualTo(restartLimit(firstStart));

      assertThat(infer(httpPort, "after-restart").statusCode()).isEqualTo(200);
      Map<String, Long> auditedTimes = awaitAudited(dataDir, answered);
      assertThat(auditedTimes).allSatisfy((id, times) -> assertThat(times).as(id).isOne());
      KaskadeProcess verify =
          KaskadeProcess.start(workDir, "audit", "verify", "--data-dir", dataDir.toString());
      assertThat(verify.awaitExit(WAIT)).as("output: %s", verify.output()).isZero();
      second.terminate(Duration.ofSeconds(10));
    }
  }

  /**
   * 15 s, or 1.5 times the first start where that was slow: on a machine so starved of CPU that a
   * fresh start takes a minute nothing takes 15 s, but waiting out the dead members' 45 s sessions
   * (the regression this guards) still stands out.
   */
  private static Duration restartLimit(Duration firstStart) {
    Duration scaled = firstStart.multipliedBy(3).dividedBy(2);
    return scaled.compareTo(RESTART_LIMIT) > 0 ? scaled : RESTART_LIMIT;
  }

  private static String[] upArgs(Path dataDir) {
    return new String[] {
      "up",
      "--data-dir",
      dataDir.toString(),
      "--http-port",
      Integer.toString(Ports.freePort()),
      "--grpc-port",
      Integer.toString(Ports.freePort()),
      "--kafka-port",
      Integer.toString(Ports.freePort()),
      "--registry-port",
      Integer.toString(Ports.freePort())
    };
  }

  /** Closed-loop clients sending V2 requests with unique ids; records the ids answered 200. */
  private List<Thread> startLoad(int httpPort, AtomicBoolean loading, Set<String> answered) {
    AtomicInteger next = new AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (loading.get()) {
                      String id = "crash-" + next.getAndIncrement();
                      try {
                        if (infer(httpPort, id).statusCode() == 200) {
                          answered.add(id);
                        }
                      } catch (Exception e) {
                        // the instance died mid-request: not answered
                      }
                    }
                  }));
    }
    return clients;
  }

  /**
   * Waits until every answered id is in the audit, then returns how often each audited id appears
   * (all of them, so a duplicate of an unanswered request fails the test too).
   */
  private Map<String, Long> awaitAudited(Path dataDir, Set<String> answered) {
    List<String> ids = new ArrayList<>();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              ids.clear();
              ids.addAll(auditedIds(dataDir));
              return ids.containsAll(answered);
            });
    return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private List<String> auditedIds(Path dataDir) throws Exception {
    return KaskadeProcess.auditRecords(workDir, dataDir, "iris", WAIT).stream()
        .map(record -> record.get("id").asText())
        .toList();
  }

  private boolean ready(int httpPort) {
    return iris.ready(httpPort);
  }

  private HttpResponse<String> infer(int httpPort, String id) throws Exception {
    return iris.infer(httpPort, id, Duration.ofSeconds(10));
  }
}
