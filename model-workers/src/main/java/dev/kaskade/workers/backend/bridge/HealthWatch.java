package dev.kaskade.workers.backend.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.schemas.error.KaskadeException;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls a model server's readiness ({@link Upstream#readyPath()}) on a virtual thread and keeps the
 * last answer, so {@link #ready()} never blocks a consumer loop.
 */
final class HealthWatch implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Upstream upstream;
  private final UpstreamClient client;
  private volatile boolean ready = true;
  private volatile boolean closed;
  private Thread thread;

  HealthWatch(Upstream upstream, UpstreamClient client) {
    this.upstream = upstream;
    this.client = client;
  }

  /** One readiness check: 2xx, and a {@code "ready"} field, when there is one, that is true. */
  boolean check() {
    try {
      UpstreamClient.Answer answer = client.get(upstream.readyPath(), upstream.healthInterval());
      return answer.ok() && readyField(answer.body());
    } catch (KaskadeException e) {
      return false;
    }
  }

  private static boolean readyField(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node == null || !node.has("ready") || node.get("ready").asBoolean(true);
    } catch (IOException e) {
      return true; // a plain-text 200 is ready
    }
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
