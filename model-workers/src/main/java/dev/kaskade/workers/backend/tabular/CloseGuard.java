package dev.kaskade.workers.backend.tabular;

import dev.kaskade.workers.backend.InferenceFailure;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lets inferences on a native model handle run concurrently while {@link #close} waits for them and
 * frees the handle once; an inference after close fails instead of touching freed memory.
 */
public final class CloseGuard {
  private final String model;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  public CloseGuard(String model) {
    this.model = model;
  }

  /** A computation on the native handle. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws InferenceFailure;
  }

  /** Runs {@code work} unless the model is closed. */
  public <T> T run(Work<T> work) throws InferenceFailure {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new InferenceFailure("model " + model + " is unloaded");
      }
      return work.run();
    } catch (RuntimeException e) {
      throw new InferenceFailure("model " + model + " failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code release} once, after in-flight inferences finish. */
  public void close(Runnable release) {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        release.run();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
