package dev.kaskade.processors.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.processors.audit.CloudEventsHttpDelivery.CloudEvent;
import dev.kaskade.processors.audit.CloudEventsHttpDelivery.Retry;
import dev.kaskade.schemas.error.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointTest {
  private final List<String> dead = new CopyOnWriteArrayList<>();
  private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000);

  private Endpoint endpoint(String name, Endpoint.Sender sender, int capacity) {
    Endpoint endpoint =
        new Endpoint(
            name,
            sender,
            (item, reason, why) -> dead.add(item.event().id() + " " + reason + " " + why),
            new Retry(3, 1, 100),
            capacity,
            30_000,
            now::get);
    endpoints.add(endpoint);
    return endpoint;
  }

  private static Endpoint.Item item(String id) {
    return new Endpoint.Item(new CloudEvent(id, Map.of("ce-type", "t"), new byte[0]), null);
  }

  @AfterEach
  void tearDown() {
    endpoints.forEach(Endpoint::close);
  }

  @Test
  void aHangingEndpointDoesNotDelayAnother() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger delivered = new AtomicInteger();
    Endpoint hanging =
        endpoint(
            "hanging",
            e -> {
              release.await();
              return 200;
            },
            10);
    Endpoint healthy = endpoint("healthy", e -> delivered.incrementAndGet() > 0 ? 200 : 500, 10);

    hanging.offer(item("h1"));
    for (int i = 0; i < 5; i++) {
      healthy.offer(item("ok" + i));
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> delivered.get() == 5);
    release.countDown();
  }

  @Test
  void aSenderExceptionFailsOnlyItsEventAndIsDeadLettered() {
    AtomicInteger sent = new AtomicInteger();
    Endpoint endpoint =
        endpoint(
            "e",
            e -> {
              if (e.id().equals("bad")) {
                throw new IllegalArgumentException("invalid header value");
              }
              sent.incrementAndGet();
              return 200;
            },
            10);

    endpoint.offer(item("bad"));
    await().atMost(Duration.ofSeconds(20)).until(() -> dead.size() == 1);
    now.addAndGet(60_000); // past the breaker
    endpoint.offer(item("good"));

    await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() == 1);
    assertThat(dead.get(0)).startsWith("bad UNAVAILABLE").contains("invalid header value");
  }

  @Test
  void anOpenBreakerDeadLettersAtOnceWithoutTrying() {
    AtomicInteger tries = new AtomicInteger();
    Endpoint endpoint =
        endpoint(
            "down",
            e -> {
              tries.incrementAndGet();
              return 503;
            },
            10);

    endpoint.offer(item("first"));
    await().atMost(Duration.ofSeconds(20)).until(() -> dead.size() == 1);
    endpoint.offer(item("second"));
    await().atMost(Duration.ofSeconds(20)).until(() -> dead.size() == 2);

    assertThat(tries.get()).isEqualTo(3);
    assertThat(dead.get(1)).contains("circuit open");
    assertThat(endpoint.isOpen()).isTrue();
  }

  @Test
  void aFullQueueDeadLettersTheOverflow() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Endpoint endpoint =
        endpoint(
            "slow",
            e -> {
              release.await();
              return 200;
            },
            1);

    for (int i = 0; i < 5; i++) {
      endpoint.offer(item("e" + i));
    }

    assertThat(dead).anyMatch(d -> d.contains(Reason.RESOURCE_EXHAUSTED.name()));
    release.countDown();
  }

  @Test
  void closingDeadLettersTheEventBeingSentAndTheQueuedOnesWithoutOpeningTheBreaker()
      throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    Endpoint endpoint =
        endpoint(
            "closing",
            e -> {
              sending.countDown();
              new CountDownLatch(1).await(); // a receiver that never answers
              return 200;
            },
            10);
    endpoint.offer(item("inflight"));
    sending.await();
    endpoint.offer(item("queued1"));
    endpoint.offer(item("queued2"));

    endpoint.close();

    assertThat(dead)
        .extracting(d -> d.split(" ")[0] + " " + d.split(" ")[1])
        .containsExactlyInAnyOrder(
            "inflight UNAVAILABLE", "queued1 UNAVAILABLE", "queued2 UNAVAILABLE");
    assertThat(dead).allMatch(d -> d.contains("closed before delivery"));
    assertThat(endpoint.isOpen()).isFalse();
  }

  @Test
  void isIdleOnlyWhenNothingWasQueuedOrSentForTheIdleTime() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger sent = new AtomicInteger();
    Endpoint endpoint =
        endpoint(
            "idle",
            e -> {
              release.await();
              sent.incrementAndGet();
              return 200;
            },
            10);
    assertThat(endpoint.isIdle(1_000)).isFalse();

    endpoint.offer(item("slow"));
    now.addAndGet(5_000);
    assertThat(endpoint.isIdle(1_000)).as("still sending").isFalse();

    release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() == 1);
    assertThat(endpoint.isIdle(1_000)).as("just sent").isFalse();
    now.addAndGet(1_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> endpoint.isIdle(1_000));
  }
}
