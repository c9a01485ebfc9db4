package dev.kaskade.processors.status;

import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.TransformerSpec;
import dev.kaskade.processors.graph.GraphSpec;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.kafka.StatusComponents;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Pure: what one stream-processors instance serves, as the readiness reports it owes the status
 * topic. An InferenceService's transformer is Ready once its transformer builds (FailedToLoad with
 * the error otherwise), its explainer is Ready while the explainer's loop runs, and a graph is
 * Ready once its nodes parse. The reconciler combines these with the predictor's (KServe's
 * TransformerReady/ExplainerReady) and, for graphs, with the services the graph calls.
 */
public final class ServedComponents {
  public static final String TRANSFORMER = StatusComponents.TRANSFORMER;
  public static final String EXPLAINER = StatusComponents.EXPLAINER;
  public static final String GRAPH = StatusComponents.GRAPH;

  private ServedComponents() {}

  /** One readiness report; {@link #key} is its compacted status-topic key. */
  public record Report(
      String kind,
      String namespace,
      String name,
      String component,
      String revision,
      ModelState state,
      String message) {
    public String key(String instance) {
      return ResourceKeys.status(kind, namespace, name, component, revision, instance);
    }
  }

  /**
   * @param enabled the processors this instance runs (transformer, explainer, graph, ...)
   * @param transformerProblem why a transformer cannot be built, empty when it builds
   */
  public static List<Report> of(
      Collection<ResourceEvent> resources,
      Set<String> enabled,
      Function<TransformerSpec, Optional<String>> transformerProblem) {
    return of(
        resources, enabled, transformerProblem, ServedComponents::graphProblem, Optional.empty());
  }

  /**
   * @param graphProblem why a graph's nodes JSON cannot be read ({@link #graphProblem}, perhaps
   *     memoised), empty when it parses
   * @param explainerProblem why explainers are not served (the explainer's loop stopped), empty
   *     while it runs
   */
  public static List<Report> of(
      Collection<ResourceEvent> resources,
      Set<String> enabled,
      Function<TransformerSpec, Optional<String>> transformerProblem,
      Function<String, Optional<String>> graphProblem,
      Optional<String> explainerProblem) {
    List<Report> reports = new ArrayList<>();
    for (ResourceEvent r : resources) {
      if (r.getSpec() instanceof InferenceServiceSpec spec) {
        if (enabled.contains(TRANSFORMER) && spec.getTransformer() != null) {
          TransformerSpec t = spec.getTransformer();
          Optional<String> problem = transformerProblem.apply(t);
          reports.add(report(r, TRANSFORMER, t.getRevision(), problem));
        }
        if (enabled.contains(EXPLAINER) && spec.getExplainer() != null) {
          reports.add(report(r, EXPLAINER, "", explainerProblem));
        }
      } else if (enabled.contains(GRAPH) && r.getSpec() instanceof InferenceGraphSpec graph) {
        reports.add(report(r, GRAPH, "", graphProblem.apply(graph.getNodesJson())));
      }
    }
    return reports;
  }

  /** Why the graph's nodes JSON cannot be read; empty when it parses. */
  static Optional<String> graphProblem(String nodesJson) {
    try {
      GraphSpec.parse(nodesJson);
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("cannot read the graph: " + e.getMessage());
    }
  }

  private static Report report(
      ResourceEvent r, String component, String revision, Optional<String> problem) {
    return new Report(
        r.getKind(),
        r.getNamespace(),
        r.getName(),
        component,
        revision,
        problem.isEmpty() ? ModelState.Ready : ModelState.FailedToLoad,
        problem.orElse(null));
  }
}
