package dev.kaskade.processors.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.Tensor;
import dev.kaskade.processors.graph.GraphRouter.Result;
import dev.kaskade.processors.graph.GraphSpec.Node;
import dev.kaskade.processors.graph.GraphSpec.RouterType;
import dev.kaskade.processors.graph.GraphSpec.Step;
import dev.kaskade.processors.json.Json;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.Tensors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GraphRouterTest {
  private final List<String> calls = new ArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /**
   * Fake services: "dog" answers dog, "fail" answers 500, "gone" cannot be called (as a step that
   * times out), "list" answers a JSON array; others answer their name, with one output tensor
   * {@code score} holding the length of the name.
   */
  private CompletableFuture<Result> call(String service, String namespace, JsonNode body) {
    calls.add(service + "@" + namespace + ":" + body);
    switch (service) {
      case "fail" -> {
        ObjectNode error = Json.object().put("error", "boom");
        return CompletableFuture.completedFuture(new Result(error, 500));
      }
      case "gone" -> {
        return CompletableFuture.failedFuture(
            new KaskadeException(Reason.DEADLINE_EXCEEDED, "step timed out"));
      }
      case "list" -> {
        return CompletableFuture.completedFuture(new Result(Json.array().add(1), 200));
      }
      default -> {
        ObjectNode out = Json.object();
        out.putArray("predictions").add(service.equals("dog") ? "dog" : service);
        Tensor score = Tensors.ofFloats("score", List.of(1L), new float[] {service.length()});
        return CompletableFuture.completedFuture(new Result(out, 200, List.of(score)));
      }
    }
  }

  private Result run(String nodes, String input, double random) {
    return run(GraphSpec.parse(nodes), input, random);
  }

  private Result run(GraphSpec spec, String input, double random) {
    GraphRouter router = new GraphRouter("g", "ns", spec, this::call, () -> random, meters);
    return router.route(Json.parse(input, "input")).join();
  }

  private static Step toNode(String node) {
    return new Step(null, node, null, null, "$request", false, 0, null, false);
  }

  private static Step toService(String service) {
    return new Step(null, null, service, null, "$request", false, 0, null, false);
  }

  private static List<String> names(Result result) {
    return result.outputs().stream().map(Tensor::getName).toList();
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
    assertThat(names(result)).as("the last step's outputs").containsExactly("score");
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
          {"serviceName":"small","condition":"instances.0.0<=5"},
          {"serviceName":"never"}]}}""";
    Result big = run(nodes, "{\"instances\":[[9]]}", 0);
    assertThat(big.body().toString()).contains("big");
    assertThat(names(big)).containsExactly("score");
    assertThat(run(nodes, "{\"instances\":[[1]]}", 0).body().toString()).contains("small");
    Result none = run(nodes, "{\"instances\":[[\"x\"]]}", 0);
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.body().path("error").asText()).isEqualTo("Failed to process request");
    assertThat(none.body().path("cause").asText())
        .isEqualTo("None of the routes matched with the switch condition");
    assertThat(calls).noneMatch(c -> c.startsWith("never"));
  }

  @Test
  void shouldAbortTheWholeGraphWhenANestedSwitchMatchesNothingEvenInASoftStep() {
    Result result =
        run(
            """
            {"root":{"routerType":"Sequence","steps":[{"nodeName":"pick"},{"serviceName":"after"}]},
             "pick":{"routerType":"Switch","steps":[{"serviceName":"a","condition":"nope"}]}}""",
            "{}",
            0);
    assertThat(result.status()).isEqualTo(404);
    assertThat(calls).isEmpty();
  }

  @Test
  void shouldAbortWhenAStepCannotBeCalledButKeepASoftStepsErrorAnswer() {
    Result gone =
        run(
            """
            {"root":{"routerType":"Sequence","steps":[{"serviceName":"gone"},{"serviceName":"b"}]}}""",
            "{}",
            0);
    assertThat(gone.status()).isEqualTo(504);
    assertThat(gone.body().path("cause").asText()).isEqualTo("step timed out");
    assertThat(calls).hasSize(1);
  }

  @Test
  void shouldFailAConditionOnTheFirstSequenceStepAsKServeDoes() {
    Result result =
        run(
            """
            {"root":{"routerType":"Sequence","steps":[{"serviceName":"a","condition":"instances"}]}}""",
            "{\"instances\":[1]}",
            0);
    assertThat(result.status()).isEqualTo(500);
    assertThat(result.body().path("cause").asText()).isEqualTo("invalid response");
    assertThat(calls).isEmpty();
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
    assertThat(result.body().path("bad").path("error").asText()).isEqualTo("boom");
    assertThat(names(result)).containsExactly("left.score", "1.score");

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
  void shouldKeyEnsembleByStepNameAlsoWhenWrittenStepName() {
    Result result =
        run(
            """
            {"root":{"routerType":"Ensemble","steps":[
              {"stepName":"first","serviceName":"iris"},{"name":"second","serviceName":"iris2"}]}}""",
            "{\"instances\":[[1,2,3,4]]}",
            0);
    assertThat(Json.MAPPER.convertValue(result.body(), Map.class))
        .containsOnlyKeys("first", "second");
    assertThat(result.body().path("second").path("predictions").get(0).asText()).isEqualTo("iris2");
    assertThat(names(result)).containsExactly("first.score", "second.score");
  }

  @Test
  void shouldAbortEnsembleWhenAStepAnswersNoJsonObject() {
    Result result =
        run(
            """
            {"root":{"routerType":"Ensemble","steps":[{"serviceName":"a"},{"serviceName":"list"}]}}""",
            "{}",
            0);
    assertThat(result.status()).isEqualTo(500);
    assertThat(result.body().path("cause").asText()).contains("step 1");
  }

  @Test
  void shouldPickSplitterStepByCumulativeWeight() {
    String nodes =
        """
        {"root":{"routerType":"Splitter","steps":[
          {"serviceName":"a","weight":20},{"serviceName":"b","weight":80}]}}""";
    assertThat(run(nodes, "{}", 0.19).body().toString()).contains("\"a\"");
    assertThat(names(run(nodes, "{}", 0.19))).containsExactly("score");
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
               {"serviceUrl":"http://flowers-predictor.ns.svc.cluster.local/v1/models/flowers:predict"}]}}""",
            "{}",
            0);
    assertThat(calls).containsExactly("flowers@ns:{}");
    assertThat(result.ok()).isTrue();
  }

  @Test
  void shouldRefuseAServiceUrlInAnotherNamespace() {
    Result result =
        run(
            """
            {"root":{"routerType":"Sequence","steps":[
              {"serviceUrl":"http://payroll.finance.example.com/v1/models/payroll:predict"}]}}""",
            "{}",
            0);
    assertThat(result.status()).isEqualTo(400);
    assertThat(result.body().path("cause").asText()).contains("namespace finance");
    assertThat(calls).isEmpty();
  }

  @Test
  void shouldFailASelfReferencingGraphThatBypassedValidationInsteadOfOverflowingTheStack() {
    GraphSpec loop =
        new GraphSpec(Map.of("root", new Node(RouterType.Sequence, List.of(toNode("root")))));
    Result result = run(loop, "{}", 0);
    assertThat(result.status()).isEqualTo(500);
    assertThat(result.body().path("cause").asText()).contains("nests more than");
  }

  @Test
  void shouldStopAGraphThatFansOutBeyondTheStepBudget() {
    // 4 levels of 10-way ensembles would be 10^4 service calls; the budget stops it
    java.util.Map<String, Node> nodes = new java.util.HashMap<>();
    for (int level = 0; level < 4; level++) {
      String next = level == 3 ? null : "n" + (level + 1);
      List<Step> steps =
          java.util.Collections.nCopies(10, next == null ? toService("leaf") : toNode(next));
      nodes.put(level == 0 ? "root" : "n" + level, new Node(RouterType.Ensemble, steps));
    }
    Result result = run(new GraphSpec(nodes), "{}", 0);
    assertThat(result.status()).isEqualTo(500);
    assertThat(result.body().path("cause").asText()).contains("steps");
    assertThat(calls.size()).isLessThanOrEqualTo(GraphRouter.MAX_STEPS);
  }

  @Test
  void shouldRunALongSequenceOfSynchronousStepsWithoutDeepeningTheStack() {
    List<Step> steps = java.util.Collections.nCopies(GraphRouter.MAX_STEPS, toService("a"));
    Result result =
        run(new GraphSpec(Map.of("root", new Node(RouterType.Sequence, steps))), "{}", 0);
    assertThat(result.ok()).isTrue();
    assertThat(calls).hasSize(GraphRouter.MAX_STEPS);
  }

  @Test
  void shouldRejectACycleNamingItsNodes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                GraphSpec.parse(
                    """
                    {"root":{"routerType":"Sequence","steps":[{"nodeName":"a"}]},
                     "a":{"routerType":"Sequence","steps":[{"nodeName":"root"}]}}"""))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining("root -> a -> root");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                GraphSpec.parse(
                    """
                    {"root":{"routerType":"Sequence","steps":[{"name":"a","nodeName":"root"}]}}"""))
        .hasMessageContaining("root -> root");
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
