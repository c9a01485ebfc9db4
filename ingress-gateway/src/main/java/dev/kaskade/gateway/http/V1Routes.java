package dev.kaskade.gateway.http;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.gateway.GatewayServices;
import dev.kaskade.gateway.bridge.InferenceDispatcher;
import dev.kaskade.gateway.codec.RequestChecks;
import dev.kaskade.gateway.codec.V1Json;
import dev.kaskade.gateway.route.Route;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** KServe V1: list, readiness, {@code :predict} and {@code :explain}, with CloudEvents input. */
final class V1Routes {
  private static final String PROTOCOL = "v1";
  private final GatewayServices services;

  V1Routes(GatewayServices services) {
    this.services = services;
  }

  void mount(Router router) {
    router.get("/v1/models").handler(this::list);
    router.getWithRegex("/v1/models/([^/:]+)").handler(this::ready);
    router
        .postWithRegex("/v1/models/([^/:]+):predict")
        .handler(rc -> call(rc, rc.pathParam("param0"), false));
    router
        .postWithRegex("/v1/models/([^/:]+):explain")
        .handler(rc -> call(rc, rc.pathParam("param0"), true));
  }

  private void list(RoutingContext rc) {
    List<String> names = services.table().modelNames(HostRoutes.namespace(rc, services));
    HttpApi.json(rc, 200, new JsonObject().put("models", new JsonArray(List.copyOf(names))));
  }

  private void ready(RoutingContext rc) {
    String model = rc.pathParam("param0");
    try {
      services.dispatcher().checkServable(HostRoutes.namespace(rc, services), model, null);
      HttpApi.json(rc, 200, new JsonObject().put("name", model).put("ready", true));
    } catch (RuntimeException e) {
      HttpErrors.HttpError error = HttpErrors.of(e);
      HttpApi.error(rc, error.status(), error.message());
    }
  }

  /** {@code :predict} on the model, also where its address is the host alone (a graph's). */
  void predict(RoutingContext rc, String model) {
    call(rc, model, false);
  }

  private void call(RoutingContext rc, String model, boolean explain) {
    long start = System.nanoTime();
    CloudEvents.Mode mode = CloudEvents.modeOf(rc.request().headers());
    HttpApi.traceparent(rc);
    Future<InferenceResponse> reply;
    try {
      reply = dispatch(rc, model, mode, explain);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(
        ar -> {
          int status;
          if (ar.succeeded()) {
            status = 200;
            respond(rc, model, mode, V1Json.predictions(ar.result()));
          } else {
            HttpErrors.HttpError error = HttpErrors.of(ar.cause());
            status = error.status();
            HttpApi.error(rc, status, error.message());
          }
          services
              .metrics()
              .request(
                  services.metricLabel(HostRoutes.namespace(rc, services), model),
                  PROTOCOL,
                  status,
                  System.nanoTime() - start);
        });
  }

  private Future<InferenceResponse> dispatch(
      RoutingContext rc, String model, CloudEvents.Mode mode, boolean explain) {
    String ns = HostRoutes.namespace(rc, services);
    InferenceDispatcher dispatcher = services.dispatcher();
    dispatcher.checkServable(ns, model, null);
    RequestChecks.jsonSize(rc.body().length(), dispatcher.limits());
    JsonObject body = V1Json.parseBody(rc.body().asString());
    if (mode == CloudEvents.Mode.STRUCTURED) {
      body = CloudEvents.dataOf(body);
    }
    // Rows kept as JSON for a transformer, graph or explainer become shapes there.
    RequestChecks.nesting("instances", V1Json.instances(body), dispatcher.limits());
    String id = rc.request().getHeader("x-request-id");
    id = id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
    String trace = rc.response().headers().get("traceparent");
    var options =
        new InferenceDispatcher.Options(
            PROTOCOL, null, HttpApi.timeoutMs(rc), trace, HttpAuth.subject(rc));
    Route route = dispatcher.route(ns, model, id, null);
    if (explain) {
      // Numeric instances travel as the model's own input tensor (named and typed from its
      // metadata), so the explainer's coalition batch is one the predictor accepts.
      V1Json.V1Input input = V1Json.toInput(body, route.metadata(), false);
      var request =
          new InferenceDispatcher.Request(id, input.inputs(), body.encode(), Map.of(), List.of());
      return dispatcher.send(services.table().explainRoute(ns, model), request, options);
    }
    V1Json.V1Input input = V1Json.toInput(body, route.metadata(), route.jsonPassThrough());
    var request =
        new InferenceDispatcher.Request(
            id, input.inputs(), input.jsonPayload(), Map.of(), List.of());
    return dispatcher.infer(route, request, options);
  }

  private static void respond(
      RoutingContext rc, String model, CloudEvents.Mode mode, JsonObject predictions) {
    switch (mode) {
      case STRUCTURED ->
          HttpApi.send(
              rc,
              200,
              CloudEvents.STRUCTURED_TYPE,
              CloudEvents.structured(model, predictions).toBuffer());
      case BINARY -> {
        CloudEvents.binaryHeaders(rc.response().headers(), model);
        HttpApi.json(rc, 200, predictions);
      }
      case NONE -> HttpApi.json(rc, 200, predictions);
    }
  }
}
