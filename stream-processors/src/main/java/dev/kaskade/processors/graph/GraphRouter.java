package dev.kaskade.processors.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.processors.graph.GraphSpec.Node;
import dev.kaskade.processors.graph.GraphSpec.Step;
import dev.kaskade.processors.json.Json;
import dev.kaskade.schemas.error.KaskadeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.DoubleSupplier;

/**
 * Runs an InferenceGraph the way KServe's router does (kserve/cmd/router), over JSON bodies, with
 * service calls abstracted by {@link ServiceCaller} so that the routing logic is tested without
 * Kafka. Semantics follow the router code where its docs differ (PROTOCOLS.md §7).
 */
public final class GraphRouter {

  /** A step's answer: the JSON body and an HTTP-like status. */
  public record Result(JsonNode body, int status) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** Calls the InferenceService a step names with a JSON body. */
  @FunctionalInterface
  public interface ServiceCaller {
    CompletableFuture<Result> call(String serviceName, String namespace, JsonNode body);
  }

  private final String graph;
  private final String namespace;
  private final GraphSpec spec;
  private final ServiceCaller caller;
  private final DoubleSupplier random;
  private final MeterRegistry meters;

  public GraphRouter(
      String graph,
      String namespace,
      GraphSpec spec,
      ServiceCaller caller,
      DoubleSupplier random,
      MeterRegistry meters) {
    this.graph = graph;
    this.namespace = namespace;
    this.spec = spec;
    this.caller = caller;
    this.random = random;
    this.meters = meters;
  }

  /** Runs the root node on the graph's input. */
  public CompletableFuture<Result> route(JsonNode input) {
    return node("root", input);
  }

  CompletableFuture<Result> node(String name, JsonNode input) {
    Node node = spec.nodes().get(name);
    return switch (node.routerType()) {
      case Sequence -> sequence(name, node, input, 0, null);
      case Switch -> switchNode(name, node, input);
      case Ensemble -> ensemble(name, node, input);
      case Splitter -> splitter(name, node, input);
    };
  }

  private CompletableFuture<Result> sequence(
      String nodeName, Node node, JsonNode request, int i, Result previous) {
    if (i == node.steps().size()) {
      return CompletableFuture.completedFuture(previous);
    }
    Step step = node.steps().get(i);
    if (step.condition() != null) {
      JsonNode subject = previous == null ? request : previous.body();
      if (!Condition.matches(subject, step.condition())) {
        return CompletableFuture.completedFuture(
            previous == null ? new Result(request, 200) : new Result(previous.body(), 200));
      }
    }
    JsonNode input =
        "$response".equals(step.data()) && previous != null ? previous.body() : request;
    return step(nodeName, step, i, input)
        .thenCompose(
            result -> {
              if (step.hard() && !result.ok()) {
                return CompletableFuture.completedFuture(result);
              }
              return sequence(nodeName, node, request, i + 1, result);
            });
  }

  private CompletableFuture<Result> switchNode(String nodeName, Node node, JsonNode request) {
    for (int i = 0; i < node.steps().size(); i++) {
      Step step = node.steps().get(i);
      if (step.condition() == null || Condition.matches(request, step.condition())) {
        return step(nodeName, step, i, request);
      }
    }
    return CompletableFuture.completedFuture(
        failure(404, "None of the routes matched with the switch condition"));
  }

  private CompletableFuture<Result> ensemble(String nodeName, Node node, JsonNode request) {
    List<CompletableFuture<Result>> calls = new ArrayList<>();
    for (int i = 0; i < node.steps().size(); i++) {
      calls.add(step(nodeName, node.steps().get(i), i, request));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              ObjectNode merged = Json.object();
              for (int i = 0; i < calls.size(); i++) {
                Step step = node.steps().get(i);
                Result result = calls.get(i).join();
                if (step.hard() && !result.ok()) {
                  return result;
                }
                merged.set(step.name() != null ? step.name() : Integer.toString(i), result.body());
              }
              return new Result(merged, 200);
            });
  }

  private CompletableFuture<Result> splitter(String nodeName, Node node, JsonNode request) {
    double r = random.getAsDouble() * 100;
    long running = 0;
    for (int i = 0; i < node.steps().size(); i++) {
      running += node.steps().get(i).weight();
      if (running > r) {
        return step(nodeName, node.steps().get(i), i, request);
      }
    }
    return CompletableFuture.completedFuture(failure(500, "no splitter step was selected"));
  }

  private CompletableFuture<Result> step(String nodeName, Step step, int index, JsonNode input) {
    JsonNode body = step.mapPredictionsToInstances() ? predictionsToInstances(input) : input;
    Timer.Sample sample = Timer.start(meters);
    CompletableFuture<Result> call;
    try {
      if (step.nodeName() != null) {
        call = node(step.nodeName(), body);
      } else {
        ServiceRef target = ServiceRef.of(step, namespace);
        call = caller.call(target.name(), target.namespace(), body);
      }
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.handle(
        (result, error) -> {
          sample.stop(
              Timer.builder("kaskade_graph_step_latency")
                  .tag("graph", graph)
                  .tag("node", nodeName)
                  .tag("step", step.name() != null ? step.name() : Integer.toString(index))
                  .register(meters));
          if (error == null) {
            return result;
          }
          Throwable cause =
              error instanceof CompletionException && error.getCause() != null
                  ? error.getCause()
                  : error;
          int status = cause instanceof KaskadeException k ? k.reason().httpStatus() : 500;
          return failure(status, String.valueOf(cause.getMessage()));
        });
  }

  static JsonNode predictionsToInstances(JsonNode input) {
    if (input != null && input.isObject() && input.has("predictions")) {
      ObjectNode out = Json.object();
      out.set("instances", input.get("predictions"));
      return out;
    }
    return input;
  }

  /** KServe's router error body. */
  public static Result failure(int status, String cause) {
    ObjectNode body = Json.object();
    body.put("error", "Failed to process request");
    body.put("cause", cause);
    return new Result(body, status);
  }

  /** The InferenceService a service step calls. */
  record ServiceRef(String name, String namespace) {
    static ServiceRef of(Step step, String graphNamespace) {
      if (step.serviceName() != null) {
        return new ServiceRef(step.serviceName(), graphNamespace);
      }
      // serviceUrl: http://<isvc>[-predictor].<namespace>.<domain>/... → that InferenceService.
      String host = java.net.URI.create(step.serviceUrl()).getHost();
      if (host == null) {
        throw KaskadeException.invalid("serviceUrl " + step.serviceUrl() + " has no host");
      }
      String[] labels = host.split("\\.");
      String name = labels[0].replaceFirst("-predictor(-default)?$", "");
      return new ServiceRef(name, labels.length > 1 ? labels[1] : graphNamespace);
    }
  }
}
