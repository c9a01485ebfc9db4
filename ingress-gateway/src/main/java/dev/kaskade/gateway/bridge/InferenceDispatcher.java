package dev.kaskade.gateway.bridge;

import dev.kaskade.events.GenerationRequest;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.gateway.GatewayConfig;
import dev.kaskade.gateway.codec.InputValidator;
import dev.kaskade.gateway.codec.RequestChecks;
import dev.kaskade.gateway.route.Route;
import dev.kaskade.gateway.route.RoutingTable;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol-independent steps of a call: check the model can serve, validate the inputs against
 * its metadata, pick the deadline, hand the event to the {@link KafkaBridge}, and turn a reply
 * carrying an error into a failed future.
 */
public final class InferenceDispatcher {
  private final RoutingTable table;
  private final KafkaBridge bridge;
  private final long defaultTimeoutMs;
  private final GatewayConfig.RequestLimits limits;

  public InferenceDispatcher(
      RoutingTable table,
      KafkaBridge bridge,
      long defaultTimeoutMs,
      GatewayConfig.RequestLimits limits) {
    this.table = table;
    this.bridge = bridge;
    this.defaultTimeoutMs = defaultTimeoutMs;
    this.limits = limits;
  }

  public GatewayConfig.RequestLimits limits() {
    return limits;
  }

  /** What the caller asked for, independent of the wire protocol. */
  public record Request(
      String id,
      List<Tensor> inputs,
      String jsonPayload,
      Map<String, String> parameters,
      List<String> requestedOutputs) {}

  /** How the call travels: protocol, pinned version, caller deadline (0 = none), trace. */
  /**
   * How a call was made.
   *
   * @param subject the authenticated caller's JWT {@code sub}, or null without authentication
   */
  public record Options(
      String protocol, String version, long timeoutMs, String traceparent, String subject) {
    public Options(String protocol, String version, long timeoutMs, String traceparent) {
      this(protocol, version, timeoutMs, traceparent, null);
    }
  }

  /** Throws NOT_FOUND for unknown models or versions and UNAVAILABLE when nothing can serve. */
  public void checkServable(String namespace, String model, String version) {
    if (!table.isReady(namespace, model, version)) {
      throw KaskadeException.unavailable("Model with name " + model + " is not ready.");
    }
  }

  public Route route(String namespace, String model, String requestId, String version) {
    return table.route(namespace, model, requestId, version);
  }

  /** Validates (unless a transformer or graph will read it) and sends. */
  public Future<InferenceResponse> infer(Route route, Request request, Options options) {
    check(request);
    if (!route.jsonPassThrough() && request.jsonPayload() == null) {
      InputValidator.validate(request.inputs(), route.metadata());
    }
    return produce(route, request, options);
  }

  /**
   * Sends without validation against model metadata (explain requests, pass-through), but with the
   * checks every route gets: the request id and the input shapes.
   */
  public Future<InferenceResponse> send(Route route, Request request, Options options) {
    check(request);
    return produce(route, request, options);
  }

  /** The checks of every route, first, so their messages (naming the limit) win. */
  private void check(Request request) {
    RequestChecks.requestId(request.id(), limits);
    RequestChecks.shapes(request.inputs(), limits);
  }

  private Future<InferenceResponse> produce(Route route, Request request, Options options) {
    long now = System.currentTimeMillis();
    long timeout = timeoutMs(route, options);
    InferenceRequest event =
        event(route, request.id(), options, now, timeout)
            .setInputs(request.inputs())
            .setParameters(new HashMap<>(request.parameters()))
            .setRequestedOutputs(request.requestedOutputs())
            .setJsonPayload(request.jsonPayload())
            .build();
    Call call =
        new Call(
            route,
            event,
            options.protocol(),
            now + timeout,
            options.traceparent(),
            options.subject());
    Future<InferenceResponse> answer = bridge.send(call);
    mirrorToShadow(route, call);
    return answer.compose(InferenceDispatcher::unwrapError);
  }

  /**
   * Sends an OpenAI generation. Without {@code streamTo} the reply carries the whole answer; with
   * it the worker streams GenerationEvents there and the reply (matched on the request id) comes
   * only if the request fails before it starts; call {@link #release} when the stream ends.
   */
  public Future<InferenceResponse> generate(
      Route route,
      String id,
      GenerationRequest generation,
      Options options,
      long createdMs,
      String streamTo) {
    RequestChecks.requestId(id, limits);
    long timeout = timeoutMs(route, options);
    InferenceRequest event =
        event(route, id, options, createdMs, timeout)
            .setInputs(List.of())
            .setGeneration(generation)
            .build();
    Call call =
        new Call(
            route,
            event,
            options.protocol(),
            createdMs + timeout,
            options.traceparent(),
            options.subject(),
            streamTo);
    Future<InferenceResponse> answer = streamTo == null ? bridge.send(call) : bridge.send(call, id);
    return answer.compose(InferenceDispatcher::unwrapError);
  }

  /** Ends a streamed generation's call (see {@link #generate}). */
  public void release(String id) {
    bridge.release(id);
  }

  private static InferenceRequest.Builder event(
      Route route, String id, Options options, long now, long timeout) {
    return InferenceRequest.newBuilder()
        .setId(id)
        .setModel(route.model())
        .setNamespace(route.namespace())
        .setModelVersion(options.version())
        .setProtocol(options.protocol())
        .setDeadlineEpochMs(now + timeout)
        .setTraceparent(options.traceparent())
        .setCreatedEpochMs(now);
  }

  /**
   * The call's deadline: the caller's, capped at the model's own timeout (the InferenceService's or
   * graph's, else {@code gateway.default.timeout.ms}), so no caller can hold an in-flight slot
   * longer than the operator allows.
   */
  long timeoutMs(Route route, Options options) {
    long ceiling = route.timeoutMs() > 0 ? route.timeoutMs() : defaultTimeoutMs;
    return options.timeoutMs() > 0 ? Math.min(options.timeoutMs(), ceiling) : ceiling;
  }

  /** A dark-launched revision (canaryTrafficPercent 0) gets a copy of every predictor request. */
  private void mirrorToShadow(Route route, Call call) {
    if (route.revision().isEmpty()) {
      return;
    }
    RoutingTable.ShadowRoute shadow = table.shadow(route.namespace(), route.model());
    if (shadow != null && !shadow.revision().equals(route.revision())) {
      bridge.mirror(call, shadow.topic(), shadow.responsesTopic(), shadow.revision());
    }
  }

  private static Future<InferenceResponse> unwrapError(InferenceResponse response) {
    if (response.getError() == null) {
      return Future.succeededFuture(response);
    }
    Reason reason = Reason.fromCode(response.getError().getCode());
    return Future.failedFuture(new KaskadeException(reason, response.getError().getMessage()));
  }
}
