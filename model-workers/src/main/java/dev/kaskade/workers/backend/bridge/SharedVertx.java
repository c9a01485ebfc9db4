package dev.kaskade.workers.backend.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * One Vert.x instance for every gRPC runtime bridge of the process, counted by its users: a worker
 * bridging many models keeps one small event loop instead of one Vert.x (and its threads) per
 * model, and the last {@link #release} closes it so no Vert.x thread outlives its bridges. The
 * OpenAI-compatible upstream generator shares it too.
 */
public final class SharedVertx {
  private static Vertx vertx;
  private static int users;

  private SharedVertx() {}

  /** The shared instance, started on first use; each call needs one {@link #release}. */
  public static synchronized Vertx acquire() {
    if (vertx == null) {
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
    }
    users++;
    return vertx;
  }

  /** Gives one use back; the last closes the instance. */
  public static synchronized void release() {
    if (users == 0) {
      return;
    }
    users--;
    if (users == 0) {
      vertx.close();
      vertx = null;
    }
  }

  /** How many bridges use the instance (tests). */
  static synchronized int users() {
    return users;
  }
}
