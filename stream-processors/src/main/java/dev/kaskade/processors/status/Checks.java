package dev.kaskade.processors.status;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Problems found per key (a transformer spec, a graph's nodes JSON), computed once and kept only
 * while the key is still in use: what a tick did not ask for is dropped at its end, so a changed
 * spec's old result does not stay forever. Used by the status thread alone.
 */
final class Checks<K> {
  private final Map<K, Optional<String>> results = new HashMap<>();
  private final Set<K> seen = new HashSet<>();

  Optional<String> get(K key, Function<K, Optional<String>> check) {
    seen.add(key);
    return results.computeIfAbsent(key, check);
  }

  /** Forgets every key the tick did not ask for. */
  void endTick() {
    results.keySet().retainAll(seen);
    seen.clear();
  }

  int size() {
    return results.size();
  }
}
