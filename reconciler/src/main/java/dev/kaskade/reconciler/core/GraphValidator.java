package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.InferenceGraph;
import dev.kaskade.reconciler.model.InferenceRouter;
import dev.kaskade.reconciler.model.InferenceStep;
import dev.kaskade.schemas.graph.GraphCycles;
import dev.kaskade.schemas.graph.GraphRules;
import dev.kaskade.schemas.graph.ServiceUrls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Validation of InferenceGraph: a {@code root} node, known router types, resolvable steps in the
 * graph's own namespace, Switch conditions, and no cycle among nodes (the router would never finish
 * one).
 */
final class GraphValidator {
  static final Set<String> ROUTER_TYPES = Set.of("Sequence", "Switch", "Ensemble", "Splitter");

  /** Longest step condition, as the graph router accepts. */
  static final int MAX_CONDITION_LENGTH = GraphRules.MAX_CONDITION_LENGTH;

  private GraphValidator() {}

  static void validate(InferenceGraph graph, KnownResources known, List<String> errors) {
    if (graph.getSpec() == null || graph.getSpec().getNodes() == null) {
      errors.add("spec.nodes: required, with a node named root");
      return;
    }
    Map<String, InferenceRouter> nodes = graph.getSpec().getNodes();
    if (!nodes.containsKey("root")) {
      errors.add("spec.nodes: a node named root is required (the graph's entry point)");
    }
    String namespace = Objects.requireNonNullElse(graph.getMetadata().getNamespace(), "default");
    nodes.forEach(
        (name, node) -> node("spec.nodes." + name, node, nodes.keySet(), namespace, known, errors));
    cycle(nodes, errors);
  }

  private static void cycle(Map<String, InferenceRouter> nodes, List<String> errors) {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    nodes.forEach(
        (name, node) ->
            edges.put(
                name,
                node == null || node.getSteps() == null
                    ? List.of()
                    : node.getSteps().stream()
                        .filter(Objects::nonNull)
                        .map(InferenceStep::getNodeName)
                        .filter(Objects::nonNull)
                        .toList()));
    GraphCycles.find(edges)
        .ifPresent(
            cycle ->
                errors.add(
                    "spec.nodes: the nodes form a cycle ("
                        + GraphCycles.describe(cycle)
                        + "); a graph must not call a node it is already in"));
  }

  private static void node(
      String path,
      InferenceRouter node,
      Set<String> nodeNames,
      String namespace,
      KnownResources known,
      List<String> errors) {
    if (node.getRouterType() == null || !ROUTER_TYPES.contains(node.getRouterType())) {
      errors.add(
          path
              + ".routerType: must be one of Sequence, Switch, Ensemble, Splitter, got '"
              + node.getRouterType()
              + "'");
    }
    List<InferenceStep> steps = node.getSteps() == null ? List.of() : node.getSteps();
    if (!GraphRules.hasSteps(steps.size())) {
      errors.add(path + ".steps: at least one step is required");
    }
    long weightSum = 0;
    for (int i = 0; i < steps.size(); i++) {
      InferenceStep step = steps.get(i);
      String stepPath = path + ".steps[" + i + "]";
      step(stepPath, step, nodeNames, namespace, known, errors);
      if (GraphRules.lacksNeededCondition(node.getRouterType(), step.getCondition())) {
        errors.add(
            stepPath
                + ".condition: required for a Switch step (KServe's router never routes to a"
                + " Switch step without one)");
      }
      if ("Splitter".equals(node.getRouterType())) {
        if (step.getWeight() == null) {
          errors.add(stepPath + ".weight: required for a Splitter step");
        } else {
          weightSum += step.getWeight();
        }
      }
    }
    if ("Splitter".equals(node.getRouterType()) && weightSum != 100 && !steps.isEmpty()) {
      errors.add(path + ".steps: Splitter weights must sum to 100, got " + weightSum);
    }
  }

  private static void step(
      String path,
      InferenceStep step,
      Set<String> nodeNames,
      String namespace,
      KnownResources known,
      List<String> errors) {
    long targets =
        Stream.of(step.getNodeName(), step.getServiceName(), step.getServiceUrl())
            .filter(t -> t != null && !t.isBlank())
            .count();
    if (targets != 1) {
      errors.add(path + ": exactly one of nodeName, serviceName, serviceUrl is required");
    }
    if (step.getNodeName() != null && !nodeNames.contains(step.getNodeName())) {
      errors.add(path + ".nodeName: no node named '" + step.getNodeName() + "' in spec.nodes");
    }
    if (step.getServiceName() != null
        && !known.inferenceServiceExists(namespace, step.getServiceName())) {
      errors.add(
          path
              + ".serviceName: InferenceService '"
              + step.getServiceName()
              + "' does not exist in namespace "
              + namespace);
    }
    if (step.getServiceUrl() != null && !step.getServiceUrl().isBlank()) {
      serviceUrl(path + ".serviceUrl", step.getServiceUrl(), namespace, errors);
    }
    if (GraphRules.conditionTooLong(step.getCondition())) {
      errors.add(path + ".condition: longer than " + MAX_CONDITION_LENGTH + " characters");
    }
    if (step.getDependency() != null && !Set.of("Hard", "Soft").contains(step.getDependency())) {
      errors.add(path + ".dependency: must be Hard or Soft, got '" + step.getDependency() + "'");
    }
  }

  private static void serviceUrl(String path, String url, String namespace, List<String> errors) {
    var target = ServiceUrls.target(url, namespace);
    if (target.isEmpty()) {
      errors.add(path + ": '" + url + "' is not a URL with a host");
    } else if (!target.get().namespace().equals(namespace)) {
      errors.add(
          path
              + ": '"
              + url
              + "' targets namespace "
              + target.get().namespace()
              + "; a graph in namespace "
              + namespace
              + " may only call InferenceServices of its own namespace");
    }
  }
}
