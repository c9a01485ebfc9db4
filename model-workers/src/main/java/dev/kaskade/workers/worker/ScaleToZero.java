package dev.kaskade.workers.worker;

import dev.kaskade.events.TrainedModelSpec;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code minReplicas: 0} revision in a standalone worker the way KEDA runs it in a cluster:
 * its {@link RevisionWorker} stops (model unloaded, consumer closed, status {@code ScaledToZero})
 * once it received no request for {@code idleMs} and its group has no lag, and starts again as soon
 * as requests wait in its topic (lag above 0, checked every {@code pollMs}). A waiting request is
 * not lost: it stays in Kafka, uncommitted, until the new worker answers it.
 */
public final class ScaleToZero implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleToZero.class);

  /**
   * @param idleMs a worker idle this long (and with no lag) is stopped
   * @param pollMs how often the lag is checked
   */
  public record Settings(long idleMs, long pollMs) {
    public Settings {
      if (idleMs <= 0 || pollMs <= 0) {
        throw new IllegalArgumentException("scale-to-zero idle and poll ms must be > 0");
      }
    }
  }

  /** What this needs of a revision's worker ({@link RevisionWorker}). */
  public interface Worker {
    void start();

    /** When it last received a request (epoch ms; its start before the first). */
    long lastRecordMs();

    void trainedModelsChanged(Map<String, TrainedModelSpec> models);

    /** Stops; the revision stays served (status {@code ScaledToZero}). */
    void closeScaledToZero();

    /** Stops; the revision is gone (status {@code Unloaded}). */
    void close();
  }

  /** Reads the revision's lag (requests waiting in its topic for its group). */
  @FunctionalInterface
  public interface Lag {
    long get() throws Exception;
  }

  private final String key;
  private final Function<Map<String, TrainedModelSpec>, ? extends Worker> factory;
  private final Lag lag;
  private final Settings settings;
  private Map<String, TrainedModelSpec> models;
  private Worker worker;
  private Thread watcher;
  private volatile boolean closed;

  public ScaleToZero(
      String key,
      Map<String, TrainedModelSpec> models,
      Function<Map<String, TrainedModelSpec>, ? extends Worker> factory,
      Lag lag,
      Settings settings) {
    this.key = key;
    this.models = models;
    this.factory = factory;
    this.lag = lag;
    this.settings = settings;
  }

  /** Starts awake (the model loads, so its metadata is known), then watches. */
  public synchronized void start() {
    wake();
    watcher = Thread.ofVirtual().name("scale-to-zero-" + key).start(this::watch);
  }

  /** Whether a worker runs the revision now. */
  public synchronized boolean awake() {
    return worker != null;
  }

  public synchronized void trainedModelsChanged(Map<String, TrainedModelSpec> changed) {
    models = changed;
    if (worker != null) {
      worker.trainedModelsChanged(changed);
    }
  }

  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(settings.pollMs());
        step(System.currentTimeMillis());
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // Kafka unreachable for a moment: keep the current state and ask again.
        LOG.debug("scale-to-zero check of {} failed", key, e);
      }
    }
  }

  synchronized void step(long nowMs) throws Exception {
    if (closed) {
      return;
    }
    if (worker != null) {
      if (nowMs - worker.lastRecordMs() >= settings.idleMs() && lag.get() == 0) {
        LOG.info("{} idle for {} ms: scaled to zero", key, nowMs - worker.lastRecordMs());
        worker.closeScaledToZero();
        worker = null;
      }
      return;
    }
    long waiting = lag.get();
    if (waiting > 0) {
      LOG.info("{}: {} request(s) waiting, starting its worker", key, waiting);
      wake();
    }
  }

  private void wake() {
    worker = factory.apply(models);
    worker.start();
  }

  /** Stops for good (the revision is gone): its status says unloaded. */
  @Override
  public void close() {
    stop(false);
  }

  /** Stops with the process: the revision stays served, its status says scaled to zero. */
  public void closeScaledToZero() {
    stop(true);
  }

  private void stop(boolean scaledToZero) {
    Worker running;
    synchronized (this) {
      closed = true;
      running = worker;
      worker = null;
    }
    if (watcher != null) {
      watcher.interrupt();
    }
    if (running != null && scaledToZero) {
      running.closeScaledToZero();
    } else if (running != null) {
      running.close();
    }
  }
}
