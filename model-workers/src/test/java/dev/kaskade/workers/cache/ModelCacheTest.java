package dev.kaskade.workers.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.workers.testing.LinearModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCacheTest {
  private final List<String> evicted = new ArrayList<>();
  private final ModelCache<String> cache = new ModelCache<>(300, (k, m) -> evicted.add(k));

  @Test
  void evictsLeastRecentlyUsedWhenTheBudgetIsExceeded() {
    LinearModel a = new LinearModel(100);
    cache.put("a", a);
    cache.put("b", new LinearModel(100));
    cache.put("c", new LinearModel(100));
    cache.get("a"); // a is now more recent than b

    cache.put("d", new LinearModel(150));

    assertThat(evicted).containsExactly("b", "c");
    assertThat(cache.keys()).containsExactly("a", "d");
    assertThat(cache.usedBytes()).isEqualTo(250);
    assertThat(a.isClosed()).isFalse();
  }

  @Test
  void closesEvictedModels() {
    LinearModel a = new LinearModel(200);
    cache.put("a", a);
    cache.put("b", new LinearModel(200));
    assertThat(a.isClosed()).isTrue();
    assertThat(cache.contains("a")).isFalse();
  }

  @Test
  void keepsASingleModelLargerThanTheBudget() {
    cache.put("big", new LinearModel(1000));
    assertThat(cache.get("big")).isPresent();
  }

  @Test
  void countsTheDeclaredSizeWhenGiven() {
    cache.put("a", new LinearModel(10), 200);
    cache.put("b", new LinearModel(10), 200);
    assertThat(evicted).containsExactly("a");
    assertThat(cache.usedBytes()).isEqualTo(200);
  }

  @Test
  void removeReleasesMemoryAndReportsTheModel() {
    cache.put("a", new LinearModel(100));
    assertThat(cache.remove("a")).isTrue();
    assertThat(cache.remove("a")).isFalse();
    assertThat(evicted).containsExactly("a");
    assertThat(cache.usedBytes()).isZero();
  }
}
