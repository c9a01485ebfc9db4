package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileQueueTest {
  private final ReconcileQueue queue =
      new ReconcileQueue(
          new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(50), Clock.systemUTC()));

  @Test
  void taskThatFailsIsRunAgainUntilItSucceeds() {
    AtomicInteger attempts = new AtomicInteger();
    queue.submit(
        "isvc/a",
        () -> {
          if (attempts.incrementAndGet() <= 3) {
            throw new IllegalStateException("API server unavailable");
          }
        });

    await().atMost(Duration.ofSeconds(30)).until(() -> attempts.get() == 4);
    assertThat(queue.pendingRetries()).as("a retry is still scheduled after success").isZero();
    assertThat(attempts).hasValue(4);
    queue.close();
  }

  @Test
  void newerWorkForAKeyReplacesItsPendingRetry() {
    List<String> runs = new CopyOnWriteArrayList<>();
    RetryBackoff slow =
        new RetryBackoff(Duration.ofMillis(300), Duration.ofMillis(300), Clock.systemUTC());
    try (ReconcileQueue slowQueue = new ReconcileQueue(slow)) {
      slowQueue.submit(
          "isvc/a",
          () -> {
            runs.add("old");
            throw new IllegalStateException("fails");
          });
      await().atMost(Duration.ofSeconds(30)).until(() -> runs.contains("old"));
      slowQueue.submit("isvc/a", () -> runs.add("new"));

      await().atMost(Duration.ofSeconds(30)).until(() -> runs.contains("new"));
      // The old task's retry was cancelled with it: nothing is left to run again.
      assertThat(slowQueue.pendingRetries()).isZero();
      assertThat(runs).containsExactly("old", "new");
    }
    queue.close();
  }
}
