package dev.kaskade.processors.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.processors.json.Json;
import org.junit.jupiter.api.Test;

class ConditionTest {
  private static JsonNode json(String s) {
    return Json.parse(s, "test");
  }

  @Test
  void shouldMatchKServeDocsConditionWhenFirstPredictionIsDog() {
    assertThat(
            Condition.matches(
                json("{\"predictions\":[\"dog\",\"cat\"]}"), "[@this].#(predictions.0==\"dog\")"))
        .isTrue();
    assertThat(
            Condition.matches(
                json("{\"predictions\":[\"cat\"]}"), "[@this].#(predictions.0==\"dog\")"))
        .isFalse();
  }

  @Test
  void shouldCompareNumbersInTopLevelExpression() {
    JsonNode doc = json("{\"instances\":[[6.5,1],[2,3]]}");
    assertThat(Condition.matches(doc, "instances.0.0>5")).isTrue();
    assertThat(Condition.matches(doc, "instances.1.0>5")).isFalse();
    assertThat(Condition.matches(doc, "instances.0.1<=1")).isTrue();
  }

  @Test
  void shouldResolvePathsIndexesCountsAndQueries() {
    JsonNode doc =
        json(
            "{\"a\":{\"b.c\":1},\"list\":[{\"n\":1,\"k\":\"x\"},{\"n\":5,\"k\":\"y\"},{\"n\":7,\"k\":\"yz\"}]}");
    assertThat(Condition.get(doc, "a.b\\.c").orElseThrow().asInt()).isEqualTo(1);
    assertThat(Condition.get(doc, "list.#").orElseThrow().asInt()).isEqualTo(3);
    assertThat(Condition.get(doc, "list.#.n").orElseThrow().toString()).isEqualTo("[1,5,7]");
    assertThat(Condition.get(doc, "list.#(n>4).k").orElseThrow().asText()).isEqualTo("y");
    assertThat(Condition.get(doc, "list.#(n>4)#.k").orElseThrow().toString())
        .isEqualTo("[\"y\",\"yz\"]");
    assertThat(Condition.get(doc, "list.#(k%\"y*\")#").orElseThrow().size()).isEqualTo(2);
    assertThat(Condition.get(doc, "list.#(n>40)")).isEmpty();
    assertThat(Condition.get(doc, "missing.path")).isEmpty();
    assertThat(Condition.matches(json("[0.2,0.9]"), "#(>0.5)")).isTrue();
  }

  @Test
  void shouldMatchGlobsWithStarsAndQuestionMarks() {
    assertThat(Condition.glob("setosa", "set*")).isTrue();
    assertThat(Condition.glob("setosa", "*o?a")).isTrue();
    assertThat(Condition.glob("setosa", "*x*")).isFalse();
    assertThat(Condition.glob("", "*")).isTrue();
    assertThat(Condition.glob("a.b", "a.b")).isTrue();
    assertThat(Condition.glob("axb", "a.b")).isFalse();
  }

  @Test
  void shouldMatchABacktrackingPatternQuicklyAndRefuseOverlongText() {
    String text = "a".repeat(Condition.MAX_GLOB_TEXT);
    String pattern = "*a".repeat(200) + "b";
    long start = System.nanoTime();
    assertThat(Condition.glob(text, pattern)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    assertThat(Condition.glob(text + "a", "*")).isFalse();
    assertThat(Condition.matches(json("{\"k\":\"" + text + "a\"}"), "k!%\"*\"")).isTrue();
  }
}
