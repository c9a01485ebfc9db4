package dev.kaskade.processors.transform;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts static initialisers and constructors run by classes a manifest names (for tests). */
public final class SideEffects {
  public static final AtomicInteger RUNS = new AtomicInteger();

  private SideEffects() {}

  /** Not a Transformer: loading it as one must run none of its code. */
  public static final class NotATransformer {
    static {
      RUNS.incrementAndGet();
    }

    public NotATransformer() {
      RUNS.incrementAndGet();
    }
  }

  /** A Transformer whose code runs on load. */
  public static final class Eager implements Transformer {
    static {
      RUNS.incrementAndGet();
    }

    public Eager() {
      RUNS.incrementAndGet();
    }
  }
}
