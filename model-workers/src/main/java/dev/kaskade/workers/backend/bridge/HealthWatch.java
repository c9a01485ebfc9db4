package dev.kaskade.workers.backend.bridge;

import java.util.concurrent.locks.LockSupport;

/**
 * Polls a model server's readiness on a virtual thread and keeps the last answer, so {@link
 * #ready()} never blocks a consumer loop.
 */
final class HealthWatch implements AutoCloseable {
  private final Upstream upstream;
  private final Transport transport;
  private volatile boolean ready = true;
  private volatile boolean closed;
  private Thread thread;

  HealthWatch(Upstream upstream, Transport transport) {
    this.upstream = upstream;
    this.transport = transport;
  }

  /** One readiness check. */
  boolean check() {
    return transport.ready(upstream.healthInterval());
  }

  void start() {
    thread = Thread.ofVirtual().name("bridge-health-" + upstream.model()).start(this::loop);
  }

  private void loop() {
    while (!closed) {
      LockSupport.parkNanos(upstream.healthInterval().toNanos());
      if (!closed) {
        ready = check();
      }
    }
  }

  boolean ready() {
    return ready;
  }

  /** A call found the server unreachable: not ready until the next check says otherwise. */
  void markDown() {
    ready = false;
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
