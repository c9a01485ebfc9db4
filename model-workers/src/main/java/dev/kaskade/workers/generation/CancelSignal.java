package dev.kaskade.workers.generation;

/** Tells a running generation that its caller went away or its deadline passed. */
@FunctionalInterface
public interface CancelSignal {

  boolean cancelled();

  CancelSignal NEVER = () -> false;
}
