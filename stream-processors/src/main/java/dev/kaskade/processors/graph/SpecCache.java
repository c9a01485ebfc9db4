package dev.kaskade.processors.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed graph specs by their nodes JSON, least recently used evicted beyond a bound, so that
 * graphs changed or created over time cannot grow the router's heap without limit. Used from the
 * router's loop thread only; synchronized to stay safe if that changes.
 */
final class SpecCache {
  private final Map<String, GraphSpec> specs;

  SpecCache(int capacity) {
    this.specs =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, GraphSpec> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The parsed spec; an invalid one is not kept, and is rejected again on every request. */
  synchronized GraphSpec get(String nodesJson) {
    return specs.computeIfAbsent(nodesJson, GraphSpec::parse);
  }

  synchronized int size() {
    return specs.size();
  }
}
