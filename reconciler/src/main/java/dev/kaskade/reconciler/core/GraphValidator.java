package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.InferenceGraph;
import dev.kaskade.reconciler.model.InferenceRouter;
import dev.kaskade.reconciler.model.InferenceStep;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Validation of InferenceGraph: a {@code root} node, known router types, resolvable steps. */
final class GraphValidator {
  static final Set<String> ROUTER_TYPES = Set.of("Sequence", "Switch", "Ensemble", "Splitter");

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
    nodes.forEach(
        (name, node) ->
            node(
                "spec.nodes." + name,
                node,
                nodes.keySet(),
                graph.getMetadata().getNamespace(),
                known,
                errors));
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
    if (steps.isEmpty()) {
      errors.add(path + ".steps: at least one step is required");
    }
    long weightSum = 0;
    for (int i = 0; i < steps.size(); i++) {
      InferenceStep step = steps.get(i);
      String stepPath = path + ".steps[" + i + "]";
      step(stepPath, step, nodeNames, namespace, known, errors);
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
    if (step.getDependency() != null && !Set.of("Hard", "Soft").contains(step.getDependency())) {
      errors.add(path + ".dependency: must be Hard or Soft, got '" + step.getDependency() + "'");
    }
  }
}
