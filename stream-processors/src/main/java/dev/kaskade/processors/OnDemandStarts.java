package dev.kaskade.processors;

import dev.kaskade.events.ResourceEvent;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each registered application the first time a known resource needs it, checking every
 * {@code checkMs}; once started it runs until the component closes (a resource removed later does
 * not stop it: starting again would cost more than an idle application). A start that throws is
 * logged and tried again at the next check.
 */
final class OnDemandStarts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnDemandStarts.class);

  private record Waiting(String name, Predicate<ResourceEvent> need, Runnable start) {}

  private final Supplier<Collection<ResourceEvent>> resources;
  private final List<Waiting> waiting = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService checks =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("processors-on-demand").factory());

  OnDemandStarts(Supplier<Collection<ResourceEvent>> resources, long checkMs) {
    this.resources = resources;
    checks.scheduleWithFixedDelay(this::check, 0, checkMs, TimeUnit.MILLISECONDS);
  }

  /** Starts {@code start} once a resource matches {@code need}. */
  void register(String name, Predicate<ResourceEvent> need, Runnable start) {
    waiting.add(new Waiting(name, need, start));
  }

  /** Names of the applications still waiting for a resource that needs them. */
  List<String> waiting() {
    return waiting.stream().map(Waiting::name).toList();
  }

  private void check() {
    if (waiting.isEmpty()) {
      return;
    }
    Collection<ResourceEvent> known = resources.get();
    for (Waiting w : waiting) {
      if (!StreamsDemand.anyNeeds(known, w.need())) {
        continue;
      }
      try {
        w.start().run();
        waiting.remove(w);
        LOG.info("started {}: a resource needs it", w.name());
      } catch (RuntimeException e) {
        LOG.warn("starting {} failed; trying again: {}", w.name(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    checks.shutdownNow();
    try {
      checks.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
