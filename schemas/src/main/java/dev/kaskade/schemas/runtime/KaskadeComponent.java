package dev.kaskade.schemas.runtime;

/**
 * A deployable piece of Kaskade (gateway, worker, processor, sink, control plane). {@code kaskade
 * up} starts each in one JVM with a shared {@link KaskadeContext}; in a cluster each runs alone.
 */
public interface KaskadeComponent extends AutoCloseable {

  /** Short name for logs and the startup summary, e.g. "gateway". */
  String name();

  /** Starts serving; returns once the component is ready (or throws why it cannot be). */
  void start() throws Exception;

  /** Endpoints to print at startup ("HTTP http://localhost:8080"), may be empty. */
  default java.util.List<String> endpoints() {
    return java.util.List.of();
  }

  /** Stops within a few seconds, releasing ports and committing what is done. */
  @Override
  void close();
}
