package dev.kaskade.workers.cache;

import dev.kaskade.workers.backend.LoadedModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Loaded models bounded by a memory budget (each model's declared size, by default {@link
 * LoadedModel#memoryBytes()}): a use moves a model to the most-recent end; adding a model evicts
 * the least recently used ones until the total fits. A single model larger than the budget is kept
 * alone (serving it beats refusing it). Evicted models are closed after the listener ran (the
 * worker reports them Unloaded).
 */
public final class ModelCache<K> implements AutoCloseable {
  private final long budgetBytes;
  private final BiConsumer<K, LoadedModel> onEvict;
  private final LinkedHashMap<K, LoadedModel> models = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<K, Long> sizes = new java.util.HashMap<>();
  private long usedBytes;

  public ModelCache(long budgetBytes, BiConsumer<K, LoadedModel> onEvict) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("budgetBytes must be >= 0, got " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
    this.onEvict = onEvict;
  }

  /** The model, marking it most recently used. */
  public synchronized Optional<LoadedModel> get(K key) {
    return Optional.ofNullable(models.get(key));
  }

  public synchronized boolean contains(K key) {
    return models.containsKey(key);
  }

  /** Adds (or replaces) a model and evicts least recently used others until the budget holds. */
  public void put(K key, LoadedModel model) {
    put(key, model, model.memoryBytes());
  }

  /**
   * Adds a model counting {@code sizeBytes} against the budget (e.g. a TrainedModel's declared
   * {@code memory_bytes}), evicting least recently used others until the budget holds.
   */
  public void put(K key, LoadedModel model, long sizeBytes) {
    List<Map.Entry<K, LoadedModel>> evicted = new ArrayList<>();
    synchronized (this) {
      LoadedModel previous = models.remove(key);
      if (previous != null) {
        usedBytes -= sizes.remove(key);
        evicted.add(Map.entry(key, previous));
      }
      long size = Math.max(0, sizeBytes);
      Iterator<Map.Entry<K, LoadedModel>> lru = models.entrySet().iterator();
      while (usedBytes + size > budgetBytes && lru.hasNext()) {
        Map.Entry<K, LoadedModel> oldest = lru.next();
        lru.remove();
        usedBytes -= sizes.remove(oldest.getKey());
        evicted.add(Map.entry(oldest.getKey(), oldest.getValue()));
      }
      models.put(key, model);
      sizes.put(key, size);
      usedBytes += size;
    }
    evicted.forEach(e -> release(e.getKey(), e.getValue()));
  }

  /** Removes and closes a model (its resource was deleted); true when it was cached. */
  public boolean remove(K key) {
    LoadedModel removed;
    synchronized (this) {
      removed = models.remove(key);
      if (removed != null) {
        usedBytes -= sizes.remove(key);
      }
    }
    if (removed != null) {
      release(key, removed);
    }
    return removed != null;
  }

  public synchronized long usedBytes() {
    return usedBytes;
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  /** Keys from least to most recently used. */
  public synchronized List<K> keys() {
    return List.copyOf(models.keySet());
  }

  @Override
  public void close() {
    for (K key : keys()) {
      remove(key);
    }
  }

  private void release(K key, LoadedModel model) {
    try {
      onEvict.accept(key, model);
    } finally {
      model.close();
    }
  }
}
