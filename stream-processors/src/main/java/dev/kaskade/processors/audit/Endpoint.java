package dev.kaskade.processors.audit;

import dev.kaskade.processors.audit.CloudEventsHttpDelivery.CloudEvent;
import dev.kaskade.processors.audit.CloudEventsHttpDelivery.Retry;
import dev.kaskade.processors.kafka.Failures;
import dev.kaskade.schemas.error.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logger URL: its own bounded queue and delivery thread, so a dead or black-holed receiver
 * stalls only its own events. A circuit breaker opens when an event exhausted its tries: while it
 * is open ({@code breakerMs}) events fail at once instead of each waiting out the retries, and the
 * first event after it is a probe. Events that are not delivered (given up, breaker open, queue
 * full, still queued or being sent when the endpoint closes) go to the dead-letter callback.
 */
final class Endpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

  /** Sends one event; returns the HTTP status. */
  @FunctionalInterface
  interface Sender {
    int send(CloudEvent event) throws Exception;
  }

  /** Where undeliverable events go. */
  @FunctionalInterface
  interface Undelivered {
    void accept(Item item, Reason reason, String why);
  }

  /** An event and the audit record it came from (what the dead-letter topic keeps). */
  record Item(CloudEvent event, Object source) {}

  /** How long close waits for the delivery thread to stop. */
  static final long CLOSE_WAIT_MS = 5_000;

  private final String name;
  private final Sender sender;
  private final Undelivered undelivered;
  private final Retry retry;
  private final long breakerMs;
  private final LongSupplier clock;
  private final BlockingQueue<Item> queue;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long openUntil;
  private volatile long lastActive;

  /** Items offered and not yet delivered or dead-lettered, so a dequeued item counts too. */
  private final AtomicInteger pending = new AtomicInteger();

  Endpoint(
      String name,
      Sender sender,
      Undelivered undelivered,
      Retry retry,
      int capacity,
      long breakerMs,
      LongSupplier clock) {
    this.name = name;
    this.sender = sender;
    this.undelivered = undelivered;
    this.retry = retry;
    this.breakerMs = breakerMs;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.lastActive = clock.getAsLong();
    this.thread = Thread.ofVirtual().name("payload-logger-http-" + name).start(this::run);
  }

  /** Queues the event; a full queue dead-letters it at once. */
  void offer(Item item) {
    lastActive = clock.getAsLong();
    pending.incrementAndGet();
    if (!queue.offer(item)) {
      pending.decrementAndGet();
      undelivered.accept(
          item, Reason.RESOURCE_EXHAUSTED, "queue of logger endpoint " + name + " is full");
    }
  }

  /** True when nothing was queued for {@code idleMs} and nothing is queued or being sent. */
  boolean isIdle(long idleMs) {
    return pending.get() == 0 && clock.getAsLong() - lastActive >= idleMs;
  }

  boolean isOpen() {
    return clock.getAsLong() < openUntil;
  }

  private void run() {
    while (running) {
      Item item;
      try {
        item = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (item != null) {
        try {
          deliver(item);
        } catch (InterruptedException e) {
          undelivered.accept(item, Reason.UNAVAILABLE, closed());
          return;
        } catch (Throwable e) {
          Failures.rethrowIfFatal(e);
          undelivered.accept(item, Reason.INTERNAL, Failures.describe(e));
        } finally {
          lastActive = clock.getAsLong();
          pending.decrementAndGet();
        }
      }
    }
  }

  private String closed() {
    return "logger endpoint " + name + " closed before delivery";
  }

  private void deliver(Item item) throws InterruptedException {
    if (isOpen()) {
      undelivered.accept(item, Reason.UNAVAILABLE, "circuit open for logger endpoint " + name);
      return;
    }
    long backoff = retry.backoffMs();
    String last = "not tried";
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      if (!running) { // closing: not the receiver's fault, so no breaker
        undelivered.accept(item, Reason.UNAVAILABLE, closed());
        return;
      }
      try {
        int status = sender.send(item.event());
        if (status / 100 == 2) {
          return;
        }
        last = "HTTP " + status;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // IOException, and IllegalArgumentException from the JDK client for values it refuses
        last = Failures.describe(e);
      }
      LOG.warn("CloudEvent {} to {}: {} (try {})", item.event().id(), name, last, attempt);
      if (attempt < retry.attempts()) {
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
    openUntil = clock.getAsLong() + breakerMs;
    undelivered.accept(
        item, Reason.UNAVAILABLE, "given up after " + retry.attempts() + " tries: " + last);
  }

  /**
   * Stops the delivery thread and waits for it (an interrupted send is dead-lettered), then
   * dead-letters every event still queued, so the caller may close the dead-letter producer next.
   */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(CLOSE_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Item> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(item -> undelivered.accept(item, Reason.UNAVAILABLE, closed()));
  }
}
