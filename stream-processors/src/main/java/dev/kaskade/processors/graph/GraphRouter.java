package dev.kaskade.processors.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.Tensor;
import dev.kaskade.processors.graph.GraphSpec.Node;
import dev.kaskade.processors.graph.GraphSpec.Step;
import dev.kaskade.processors.json.Json;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.graph.ServiceUrls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Runs an InferenceGraph the way KServe's router does (kserve/cmd/router/main.go), over JSON
 * bodies, with service calls abstracted by {@link ServiceCaller} so that the routing logic is
 * tested without Kafka.
 *
 * <p>As in KServe, a step's non-2xx answer is a result (Soft: kept, Hard: ends its node with that
 * answer), while a router error (a Switch without a match, a step that could not be called or timed
 * out, a non-object answer inside an Ensemble, a budget exceeded) aborts the whole graph with
 * {@code {"error":"Failed to process request","cause":…}}. Each request has a budget of {@value
 * #MAX_STEPS} steps and {@value #MAX_DEPTH} nested nodes, so that no graph, even one that bypassed
 * validation, can loop or exhaust the stack of the thread that runs it.
 */
public final class GraphRouter {
  /** Most nested nodes one request may enter. */
  public static final int MAX_DEPTH = 32;

  /** Most steps one request may run, nested ones included. */
  public static final int MAX_STEPS = 1000;

  /**
   * A step's answer: the JSON body, an HTTP-like status, and the tensors it answered (what the
   * graph's V2 answer is made of; empty when the answer was JSON only).
   */
  public record Result(JsonNode body, int status, List<Tensor> outputs) {
    public Result {
      outputs = List.copyOf(outputs);
    }

    public Result(JsonNode body, int status) {
      this(body, status, List.of());
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** Calls the InferenceService a step names with a JSON body. */
  @FunctionalInterface
  public interface ServiceCaller {
    CompletableFuture<Result> call(String serviceName, String namespace, JsonNode body);
  }

  /** A router error: ends the whole graph with KServe's error body and this status. */
  static final class Abort extends RuntimeException {
    private final int status;

    Abort(int status, String cause) {
      super(cause, null, false, false);
      this.status = status;
    }
  }

  private final String graph;
  private final String namespace;
  private final GraphSpec spec;
  private final ServiceCaller caller;
  private final DoubleSupplier random;
  private final MeterRegistry meters;
  private final AtomicInteger stepsLeft = new AtomicInteger(MAX_STEPS);

  /** One router per request: it holds that request's step budget. */
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

  /** Runs the root node on the graph's input; never completes exceptionally. */
  public CompletableFuture<Result> route(JsonNode input) {
    CompletableFuture<Result> run;
    try {
      run = node("root", input, 0);
    } catch (RuntimeException | StackOverflowError e) {
      run = CompletableFuture.failedFuture(e);
    }
    return run.handle((result, error) -> error == null ? result : failure(error));
  }

  private CompletableFuture<Result> node(String name, JsonNode input, int depth) {
    if (depth >= MAX_DEPTH) {
      throw new Abort(500, "graph " + graph + " nests more than " + MAX_DEPTH + " nodes");
    }
    Node node = spec.nodes().get(name);
    if (node == null) {
      throw new Abort(500, "graph " + graph + " has no node " + name);
    }
    return switch (node.routerType()) {
      case Sequence -> sequence(name, node, input, depth, 0, null);
      case Switch -> switchNode(name, node, input, depth);
      case Ensemble -> ensemble(name, node, input, depth);
      case Splitter -> splitter(name, node, input, depth);
    };
  }

  /**
   * Steps in order. Loops while steps answer synchronously and recurses only through an
   * asynchronous answer, so a long sequence does not deepen the stack.
   */
  private CompletableFuture<Result> sequence(
      String nodeName, Node node, JsonNode request, int depth, int from, Result previous) {
    Result last = previous;
    for (int i = from; i < node.steps().size(); i++) {
      Step step = node.steps().get(i);
      JsonNode input = "$response".equals(step.data()) && i > 0 ? last.body() : request;
      if (step.mapPredictionsToInstances()) {
        input = predictionsToInstances(input);
      }
      if (step.condition() != null) {
        if (last == null) {
          // KServe checks the previous response, which the first step does not have.
          throw new Abort(500, "invalid response");
        }
        if (!Condition.matches(last.body(), step.condition())) {
          return CompletableFuture.completedFuture(new Result(last.body(), 200, last.outputs()));
        }
      }
      CompletableFuture<Result> call = step(nodeName, step, i, input, depth);
      if (!call.isDone() || call.isCompletedExceptionally()) {
        int next = i + 1;
        return call.thenCompose(
            result ->
                step.hard() && !result.ok()
                    ? CompletableFuture.completedFuture(result)
                    : sequence(nodeName, node, request, depth, next, result));
      }
      last = call.join();
      if (step.hard() && !last.ok()) {
        return CompletableFuture.completedFuture(last);
      }
    }
    return CompletableFuture.completedFuture(last);
  }

  private CompletableFuture<Result> switchNode(
      String nodeName, Node node, JsonNode request, int depth) {
    for (int i = 0; i < node.steps().size(); i++) {
      Step step = node.steps().get(i);
      // gjson yields nothing for an empty path: a Switch step without condition never matches.
      if (step.condition() != null && Condition.matches(request, step.condition())) {
        return step(nodeName, step, i, request, depth);
      }
    }
    throw new Abort(404, "None of the routes matched with the switch condition");
  }

  private CompletableFuture<Result> ensemble(
      String nodeName, Node node, JsonNode request, int depth) {
    List<CompletableFuture<Result>> calls = new ArrayList<>();
    for (int i = 0; i < node.steps().size(); i++) {
      calls.add(step(nodeName, node.steps().get(i), i, request, depth));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> merge(node, calls));
  }

  /** KServe's merge: one entry per step, keyed by name (index when unnamed), in step order. */
  private static Result merge(Node node, List<CompletableFuture<Result>> calls) {
    ObjectNode merged = Json.object();
    List<Tensor> outputs = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      Step step = node.steps().get(i);
      Result result = calls.get(i).join();
      String key = step.name() != null ? step.name() : Integer.toString(i);
      if (result.body() == null || !result.body().isObject()) {
        throw new Abort(500, "step " + key + " did not answer a JSON object");
      }
      if (step.hard() && !result.ok()) {
        return result;
      }
      merged.set(key, result.body());
      if (result.ok()) {
        outputs.addAll(GraphOutputs.prefixed(key, result.outputs()));
      }
    }
    return new Result(merged, 200, outputs);
  }

  private CompletableFuture<Result> splitter(
      String nodeName, Node node, JsonNode request, int depth) {
    int point = (int) Math.floor(random.getAsDouble() * 100);
    long end = 0;
    for (int i = 0; i < node.steps().size(); i++) {
      end += node.steps().get(i).weight();
      if (point < end) {
        return step(nodeName, node.steps().get(i), i, request, depth);
      }
    }
    throw new Abort(500, "no route was selected by the splitter");
  }

  private CompletableFuture<Result> step(
      String nodeName, Step step, int index, JsonNode body, int depth) {
    if (stepsLeft.decrementAndGet() < 0) {
      throw new Abort(500, "graph " + graph + " ran more than " + MAX_STEPS + " steps");
    }
    Timer.Sample sample = Timer.start(meters);
    CompletableFuture<Result> call;
    try {
      if (step.nodeName() != null) {
        call = node(step.nodeName(), body, depth + 1);
      } else {
        ServiceRef target = ServiceRef.of(step, namespace);
        call = caller.call(target.name(), target.namespace(), body);
      }
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.whenComplete(
        (result, error) ->
            sample.stop(
                Timer.builder("kaskade_graph_step_latency")
                    .tag("graph", graph)
                    .tag("node", nodeName)
                    .tag("step", step.name() != null ? step.name() : Integer.toString(index))
                    .register(meters)));
  }

  /**
   * KServe's sequenceReqRes rewrite: a non-empty {@code predictions} array becomes {@code
   * instances} (other fields are dropped, as the Go struct has only these two).
   */
  static JsonNode predictionsToInstances(JsonNode input) {
    JsonNode predictions = input == null ? null : input.get("predictions");
    if (predictions != null && predictions.isArray() && !predictions.isEmpty()) {
      ObjectNode out = Json.object();
      out.set("instances", predictions);
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

  /** The error answer of a graph that could not finish. */
  static Result failure(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    int status =
        switch (cause) {
          case Abort abort -> abort.status;
          case KaskadeException k -> k.reason().httpStatus();
          default -> 500;
        };
    String message =
        cause instanceof StackOverflowError
            ? "graph is nested too deeply"
            : String.valueOf(cause.getMessage());
    return failure(status, message);
  }

  /** The InferenceService a service step calls; a graph calls only its own namespace. */
  record ServiceRef(String name, String namespace) {
    static ServiceRef of(Step step, String graphNamespace) {
      if (step.serviceName() != null) {
        return new ServiceRef(step.serviceName(), graphNamespace);
      }
      ServiceRef ref = ofUrl(step.serviceUrl(), graphNamespace);
      if (!ref.namespace().equals(graphNamespace)) {
        throw KaskadeException.invalid(
            "serviceUrl "
                + step.serviceUrl()
                + " targets namespace "
                + ref.namespace()
                + "; a graph in namespace "
                + graphNamespace
                + " may only call InferenceServices of its own namespace");
      }
      return ref;
    }

    /** {@code http://<isvc>[-predictor].<namespace>.<domain>/...} → that InferenceService. */
    static ServiceRef ofUrl(String serviceUrl, String graphNamespace) {
      ServiceUrls.Target target =
          ServiceUrls.target(serviceUrl, graphNamespace)
              .orElseThrow(
                  () -> KaskadeException.invalid("serviceUrl " + serviceUrl + " has no host"));
      return new ServiceRef(target.name(), target.namespace());
    }
  }
}
