package dev.kaskade.processors.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.processors.json.Json;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.graph.GraphCycles;
import dev.kaskade.schemas.graph.GraphRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code spec.nodes} of an InferenceGraph, validated: a root node, known router types, targets, at
 * least one step per node, no cycle among nodes (the router would otherwise never finish), bounded
 * conditions.
 */
public record GraphSpec(Map<String, Node> nodes) {
  /** Router types of KServe's InferenceGraph. */
  public enum RouterType {
    Sequence,
    Switch,
    Ensemble,
    Splitter
  }

  public record Node(RouterType routerType, List<Step> steps) {}

  /**
   * One step; exactly one of nodeName, serviceName, serviceUrl is set.
   *
   * @param name KServe's {@code name} (Go field {@code StepName}; {@code stepName} is accepted too)
   * @param data "$request" or "$response"
   * @param hard dependency Hard (default Soft)
   */
  public record Step(
      String name,
      String nodeName,
      String serviceName,
      String serviceUrl,
      String data,
      boolean mapPredictionsToInstances,
      long weight,
      String condition,
      boolean hard) {}

  public static GraphSpec parse(String nodesJson) {
    JsonNode root = Json.parse(nodesJson, "InferenceGraph nodes");
    Map<String, Node> nodes = new LinkedHashMap<>();
    root.fields().forEachRemaining(e -> nodes.put(e.getKey(), node(e.getKey(), e.getValue())));
    if (!nodes.containsKey("root")) {
      throw KaskadeException.invalid("InferenceGraph needs a node named 'root'");
    }
    checkSteps(nodes);
    Map<String, List<String>> edges = new LinkedHashMap<>();
    nodes.forEach(
        (name, node) ->
            edges.put(
                name, node.steps().stream().map(Step::nodeName).filter(n -> n != null).toList()));
    Optional<List<String>> cycle = GraphCycles.find(edges);
    if (cycle.isPresent()) {
      throw KaskadeException.invalid(
          "InferenceGraph nodes form a cycle: " + GraphCycles.describe(cycle.get()));
    }
    return new GraphSpec(Map.copyOf(nodes));
  }

  private static void checkSteps(Map<String, Node> nodes) {
    for (Map.Entry<String, Node> entry : nodes.entrySet()) {
      Node node = entry.getValue();
      if (!GraphRules.hasSteps(node.steps().size())) {
        throw KaskadeException.invalid("node '" + entry.getKey() + "' needs at least one step");
      }
      for (Step step : node.steps()) {
        if (step.nodeName() != null && !nodes.containsKey(step.nodeName())) {
          throw KaskadeException.invalid("step refers to unknown node '" + step.nodeName() + "'");
        }
      }
      if (node.routerType() == RouterType.Splitter
          && node.steps().stream().mapToLong(Step::weight).sum() != 100) {
        throw KaskadeException.invalid("Splitter step weights must sum to 100");
      }
    }
  }

  private static Node node(String name, JsonNode json) {
    String type = json.path("routerType").asText("Sequence");
    RouterType routerType;
    try {
      routerType = RouterType.valueOf(type);
    } catch (IllegalArgumentException e) {
      throw KaskadeException.invalid("node '" + name + "' has unknown routerType '" + type + "'");
    }
    List<Step> steps = new ArrayList<>();
    for (JsonNode s : json.path("steps")) {
      Step step =
          new Step(
              text(s, "name") != null ? text(s, "name") : text(s, "stepName"),
              text(s, "nodeName"),
              text(s, "serviceName"),
              text(s, "serviceUrl"),
              s.path("data").asText("$request"),
              s.path("mapPredictionsToInstances").asBoolean(false),
              s.path("weight").asLong(0),
              text(s, "condition"),
              "Hard".equals(s.path("dependency").asText("Soft")));
      int targets =
          (step.nodeName() != null ? 1 : 0)
              + (step.serviceName() != null ? 1 : 0)
              + (step.serviceUrl() != null ? 1 : 0);
      if (targets != 1) {
        throw KaskadeException.invalid(
            "each step of node '"
                + name
                + "' needs exactly one of nodeName, serviceName, serviceUrl");
      }
      if (GraphRules.conditionTooLong(step.condition())) {
        throw KaskadeException.invalid(
            "a condition of node '" + name + "' is longer than " + GraphRules.MAX_CONDITION_LENGTH);
      }
      steps.add(step);
    }
    return new Node(routerType, List.copyOf(steps));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }
}
