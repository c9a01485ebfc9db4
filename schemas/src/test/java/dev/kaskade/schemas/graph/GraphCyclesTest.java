package dev.kaskade.schemas.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphCyclesTest {

  @Test
  void shouldNameASelfReference() {
    assertThat(GraphCycles.find(Map.of("root", List.of("root")))).contains(List.of("root", "root"));
  }

  @Test
  void shouldNameTheNodesOfALongerCycleFromWhereItCloses() {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    edges.put("root", List.of("a"));
    edges.put("a", List.of("b"));
    edges.put("b", List.of("a"));
    assertThat(GraphCycles.find(edges).map(GraphCycles::describe)).contains("a -> b -> a");
  }

  @Test
  void shouldAcceptADiamondAndIgnoreUnknownNodes() {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    edges.put("root", List.of("a", "b", "missing"));
    edges.put("a", List.of("c"));
    edges.put("b", List.of("c"));
    edges.put("c", List.of());
    assertThat(GraphCycles.find(edges)).isEmpty();
  }

  @Test
  void shouldCheckAVeryLongChainWithoutOverflowingTheStack() {
    Map<String, List<String>> edges = new HashMap<>();
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      edges.put("n" + i, i + 1 < n ? List.of("n" + (i + 1)) : List.of());
    }
    assertThat(GraphCycles.find(edges)).isEmpty();
    edges.put("n" + (n - 1), List.of("n0"));
    assertThat(GraphCycles.find(edges)).hasValueSatisfying(c -> assertThat(c).hasSize(n + 1));
  }
}
