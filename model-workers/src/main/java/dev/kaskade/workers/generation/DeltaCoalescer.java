package dev.kaskade.workers.generation;

import java.util.function.LongSupplier;

/**
 * Merges generated text into fewer events: the first text goes out at once (time to first token is
 * not delayed), later text is held until {@code windowMs} passed since the last event, and {@link
 * #flush} sends the rest. Not thread-safe: one per running choice.
 */
public final class DeltaCoalescer implements TokenSink {
  /** Where coalesced text goes. */
  @FunctionalInterface
  public interface Emitter {
    void delta(String text, int tokens);
  }

  private final Emitter emitter;
  private final long windowNanos;
  private final LongSupplier clock;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder all = new StringBuilder();
  private int tokens;
  private long lastEmit;
  private boolean first = true;

  public DeltaCoalescer(Emitter emitter, long windowMs, LongSupplier nanoClock) {
    this.emitter = emitter;
    this.windowNanos = windowMs * 1_000_000L;
    this.clock = nanoClock;
  }

  @Override
  public void accept(String delta, int count) {
    text.append(delta);
    all.append(delta);
    tokens += count;
    if (text.isEmpty()) {
      return;
    }
    long now = clock.getAsLong();
    if (first || now - lastEmit >= windowNanos) {
      first = false;
      emit(now);
    }
  }

  /** Sends whatever is held. */
  public void flush() {
    if (!text.isEmpty()) {
      emit(clock.getAsLong());
    }
  }

  /** All text of this choice so far. */
  public String text() {
    return all.toString();
  }

  private void emit(long now) {
    emitter.delta(text.toString(), tokens);
    text.setLength(0);
    tokens = 0;
    lastEmit = now;
  }
}
