package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts a dedicated broker while clients keep calling: every call must end (200, or 503/504
 * while the broker is away), none may hang, and traffic must recover afterwards.
 */
class BrokerRestartIT {
  private static final String BODY =
      """
      {"inputs":[{"name":"input","datatype":"FP32","shape":[1,4],"data":[5.1,3.5,1.4,0.2]}]}""";

  @TempDir Path tmp;

  @Test
  void callsNeverHangAndReadinessFollowsTheBrokerAcrossARestart() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.at(tmp.resolve("kafka")));
        GatewayFixture fx =
            new GatewayFixture(
                new Cluster(kafka.bootstrapServers(), new InMemorySchemaRegistry()),
                Map.of("gateway.max.inflight", "1000"))) {
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger okAfterRestart = new AtomicInteger();
      AtomicBoolean restarted = new AtomicBoolean(false);
      List<Thread> clients =
          List.of(0, 1, 2).stream()
              .map(
                  i ->
                      Thread.ofVirtual()
                          .start(
                              () -> {
                                while (running.get()) {
                                  try {
                                    int status = call(fx);
                                    statuses
                                        .computeIfAbsent(status, s -> new AtomicInteger())
                                        .incrementAndGet();
                                    if (status == 200 && restarted.get()) {
                                      okAfterRestart.incrementAndGet();
                                    }
                                  } catch (RuntimeException e) {
                                    failures.add(e);
                                  }
                                }
                              }))
              .toList();
      await().atMost(Duration.ofSeconds(20)).until(() -> count(statuses, 200) >= 20);

      kafka.stop();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fx.get("/v2/health/ready").statusCode() == 503);
      // Sends to a warm topic go out from the event loop (InlineSends): with the broker away, none
      // may hold it for the producer's max.block.ms (10 s), so the loop keeps answering at once.
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        assertThat(fx.get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("a liveness probe while the broker is away")
            .isLessThan(Duration.ofSeconds(3));
        Thread.sleep(200);
      }
      kafka.restart();
      restarted.set(true);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fx.get("/v2/health/ready").statusCode() == 200);

      await().atMost(Duration.ofSeconds(90)).until(() -> okAfterRestart.get() >= 20);
      running.set(false);
      for (Thread t : clients) {
        t.join(Duration.ofSeconds(30));
      }

      System.out.println("broker restart: status counts " + statuses);
      assertThat(failures).as("calls that hung or broke the connection").isEmpty();
      assertThat(statuses.keySet()).isSubsetOf(200, 503, 504);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  fx.gateway.meterRegistry().find("kaskade.gateway.inflight").gauge().value() == 0);
    }
  }

  private static int count(Map<Integer, AtomicInteger> statuses, int status) {
    AtomicInteger n = statuses.get(status);
    return n == null ? 0 : n.get();
  }

  private static int call(GatewayFixture fx) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(fx.url("/v2/models/iris/infer")))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .header("kaskade-timeout-ms", "2000")
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();
    return GatewayFixture.send(request).statusCode();
  }
}
