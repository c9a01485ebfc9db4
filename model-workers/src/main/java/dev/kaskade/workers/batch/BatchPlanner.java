package dev.kaskade.workers.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Splits pending requests into executions: same merge key only, at most maxBatchSize rows. */
public final class BatchPlanner {
  private BatchPlanner() {}

  /**
   * Groups items by key (a null key runs alone), keeps arrival order within a group, and cuts a
   * group into chunks of at most {@code maxBatchSize} rows (a single larger request runs alone).
   */
  public static <T> List<List<T>> plan(
      List<T> items, Function<T, String> key, ToLongFunction<T> rows, int maxBatchSize) {
    Map<String, List<T>> groups = new LinkedHashMap<>();
    List<List<T>> batches = new ArrayList<>();
    for (T item : items) {
      String k = key.apply(item);
      if (k == null) {
        batches.add(List.of(item));
      } else {
        groups.computeIfAbsent(k, x -> new ArrayList<>()).add(item);
      }
    }
    for (List<T> group : groups.values()) {
      List<T> chunk = new ArrayList<>();
      long chunkRows = 0;
      for (T item : group) {
        long r = rows.applyAsLong(item);
        if (!chunk.isEmpty() && chunkRows + r > maxBatchSize) {
          batches.add(chunk);
          chunk = new ArrayList<>();
          chunkRows = 0;
        }
        chunk.add(item);
        chunkRows += r;
      }
      if (!chunk.isEmpty()) {
        batches.add(chunk);
      }
    }
    return batches;
  }
}
