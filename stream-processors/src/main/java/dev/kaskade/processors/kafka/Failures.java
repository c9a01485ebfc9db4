package dev.kaskade.processors.kafka;

/**
 * Which throwables a per-record handler may catch and survive. Everything is recoverable for the
 * next record except a {@link VirtualMachineError} that leaves the JVM unusable (out of memory, an
 * internal error); {@link StackOverflowError} is the exception to the exception: the stack has
 * unwound by the time it is caught, and a deep payload or a recursive transformer must fail alone.
 */
public final class Failures {
  private static final long POLL_FAILURE_PAUSE_MS = 500;

  private Failures() {}

  /** True when the JVM cannot be trusted any more and the thread should die. */
  public static boolean isFatal(Throwable t) {
    return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
  }

  /** Rethrows {@code t} when it is fatal, so callers can catch Throwable for everything else. */
  public static void rethrowIfFatal(Throwable t) {
    if (isFatal(t)) {
      throw (VirtualMachineError) t;
    }
  }

  /**
   * Waits a little after a failed poll, so a service loop whose poll keeps failing (a broker that
   * is away, a consumer in a bad state) neither spins a core nor floods the log. An interrupt is
   * kept for the loop to see.
   */
  public static void pauseAfterPollFailure() {
    try {
      Thread.sleep(POLL_FAILURE_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A one-line description: class and message. */
  public static String describe(Throwable t) {
    return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
