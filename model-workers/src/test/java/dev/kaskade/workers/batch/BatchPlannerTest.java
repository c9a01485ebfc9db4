package dev.kaskade.workers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {
  record Item(String name, String key, long rows) {}

  private static List<List<String>> plan(int max, Item... items) {
    return BatchPlanner.plan(List.of(items), Item::key, Item::rows, max).stream()
        .map(b -> b.stream().map(Item::name).toList())
        .toList();
  }

  @Test
  void mergesOnlySameKeyAndKeepsArrivalOrder() {
    assertThat(plan(10, new Item("a", "k1", 1), new Item("b", "k2", 1), new Item("c", "k1", 1)))
        .containsExactly(List.of("a", "c"), List.of("b"));
  }

  @Test
  void cutsAtMaxBatchSizeRows() {
    assertThat(
            plan(
                4,
                new Item("a", "k", 2),
                new Item("b", "k", 2),
                new Item("c", "k", 1),
                new Item("d", "k", 9)))
        .containsExactly(List.of("a", "b"), List.of("c"), List.of("d"));
  }

  @Test
  void unmergeableItemsRunAlone() {
    assertThat(plan(10, new Item("a", null, 1), new Item("b", null, 1)))
        .containsExactly(List.of("a"), List.of("b"));
  }
}
