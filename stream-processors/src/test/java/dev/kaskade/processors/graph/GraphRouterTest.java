package dev.kaskade.processors.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.processors.graph.GraphRouter.Result;
import dev.kaskade.processors.json.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GraphRouterTest {
  private final List<String> calls = new ArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Fake services: "dog" answers dog, "fail" answers 500, others echo their name and input. */
  private CompletableFuture<Result> call(String service, String namespace, JsonNode body) {
    calls.add(service + "@" + namespace + ":" + body);
    if (service.equals("fail")) {
      ObjectNode error = Json.object().put("error", "boom");
      return CompletableFuture.completedFuture(new Result(error, 500));
    }
    ObjectNode out = Json.object();
    out.putArray("predictions").add(service.equals("dog") ? "dog" : service);
    return CompletableFuture.completedFuture(new Result(out, 200));
  }

  private Result run(String nodes, String input, double random) {
    GraphRouter router =
        new GraphRouter("g", "ns", GraphSpec.parse(nodes), this::call, () -> random, meters);
    return router.route(Json.parse(input, "input")).join();
  }

  @Test
  void shouldChainResponsesInSequenceAndMapPredictionsToInstances() {
    Result result =
        run(
            """
            {"root":{"routerType":"Sequence","steps":[
              {"serviceName":"a"},
              {"serviceName":"b","data":"$response","mapPredictionsToInstances":true}]}}""",
            "{\"instances\":[1]}",
            0);
    assertThat(calls).containsExactly("a@ns:{\"instances\":[1]}", "b@ns:{\"instances\":[\"a\"]}");
    assertThat(result.body().toString()).isEqualTo("{\"predictions\":[\"b\"]}");
    assertThat(
            meters
                .get("kaskade_graph_step_latency")
                .tags("graph", "g", "node", "root", "step", "1")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void shouldStopSequenceWithPreviousResponseWhenConditionDoesNotMatch() {
    String nodes =
        """
        {"root":{"routerType":"Sequence","steps":[
          {"serviceName":"cat"},
          {"serviceName":"breed","data":"$response","condition":"[@this].#(predictions.0==\\"dog\\")"}]}}""";
    Result result = run(nodes, "{\"instances\":[1]}", 0);
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().toString()).isEqualTo("{\"predictions\":[\"cat\"]}");
    assertThat(calls).hasSize(1);

    calls.clear();
    run(nodes.replace("\"cat\"", "\"dog\""), "{\"instances\":[1]}", 0);
    assertThat(calls).hasSize(2);
  }

  @Test
  void shouldEndSequenceWithFailureOfHardStepButContinuePastSoftStep() {
    Result hard =
        run(
            """
            {"root":{"routerType":"Sequence","steps":[
              {"serviceName":"fail","dependency":"Hard"},{"serviceName":"b"}]}}""",
            "{}",
            0);
    assertThat(hard.status()).isEqualTo(500);
    assertThat(calls).hasSize(1);

    Result soft =
        run(
            """
            {"root":{"routerType":"Sequence","steps":[{"serviceName":"fail"},{"serviceName":"b"}]}}""",
            "{}",
            0);
    assertThat(soft.ok()).isTrue();
    assertThat(soft.body().toString()).contains("\"b\"");
  }

  @Test
  void shouldRouteSwitchToFirstMatchingStepAnd404WhenNoneMatches() {
    String nodes =
        """
        {"root":{"routerType":"Switch","steps":[
          {"serviceName":"big","condition":"instances.0.0>5"},
          {"serviceName":"small","condition":"instances.0.0<=5"}]}}""";
    assertThat(run(nodes, "{\"instances\":[[9]]}", 0).body().toString()).contains("big");
    assertThat(run(nodes, "{\"instances\":[[1]]}", 0).body().toString()).contains("small");
    Result none = run(nodes, "{\"instances\":[[\"x\"]]}", 0);
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.body().path("error").asText()).isEqualTo("Failed to process request");
  }

  @Test
  void shouldAnswerEnsembleWithOneEntryPerStepNameAndFailOnHardStep() {
    Result result =
        run(
            """
            {"root":{"routerType":"Ensemble","steps":[
              {"name":"left","serviceName":"l"},{"serviceName":"r"},{"name":"bad","serviceName":"fail"}]}}""",
            "{}",
            0);
    assertThat(result.ok()).isTrue();
    assertThat(Json.MAPPER.convertValue(result.body(), Map.class))
        .containsOnlyKeys("left", "1", "bad");

    Result hard =
        run(
            """
            {"root":{"routerType":"Ensemble","steps":[
              {"name":"a","serviceName":"a"},{"name":"bad","serviceName":"fail","dependency":"Hard"}]}}""",
            "{}",
            0);
    assertThat(hard.status()).isEqualTo(500);
    assertThat(hard.body().path("error").asText()).isEqualTo("boom");
  }

  @Test
  void shouldPickSplitterStepByCumulativeWeight() {
    String nodes =
        """
        {"root":{"routerType":"Splitter","steps":[
          {"serviceName":"a","weight":20},{"serviceName":"b","weight":80}]}}""";
    assertThat(run(nodes, "{}", 0.19).body().toString()).contains("\"a\"");
    assertThat(run(nodes, "{}", 0.20).body().toString()).contains("\"b\"");
    assertThat(run(nodes, "{}", 0.999).body().toString()).contains("\"b\"");
  }

  @Test
  void shouldRunNestedNodeAndResolveServiceUrl() {
    Result result =
        run(
            """
            {"root":{"routerType":"Sequence","steps":[{"nodeName":"inner"}]},
             "inner":{"routerType":"Sequence","steps":[
               {"serviceUrl":"http://flowers-predictor.team.svc.cluster.local/v1/models/flowers:predict"}]}}""",
            "{}",
            0);
    assertThat(calls).containsExactly("flowers@team:{}");
    assertThat(result.ok()).isTrue();
  }

  @Test
  void shouldRejectSpecWithoutRootOrWithBadWeights() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> GraphSpec.parse("{\"a\":{\"steps\":[]}}"))
        .hasMessageContaining("root");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                GraphSpec.parse(
                    "{\"root\":{\"routerType\":\"Splitter\",\"steps\":[{\"serviceName\":\"a\",\"weight\":30}]}}"))
        .hasMessageContaining("100");
  }
}
