package dev.kaskade.gateway.http;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.gateway.GatewayServices;
import dev.kaskade.gateway.bridge.InferenceDispatcher;
import dev.kaskade.gateway.codec.RequestChecks;
import dev.kaskade.gateway.codec.V2Json;
import dev.kaskade.gateway.codec.V2Request;
import dev.kaskade.gateway.route.Route;
import dev.kaskade.schemas.error.KaskadeException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Open Inference Protocol REST: server and model metadata, health, readiness, infer (JSON and the
 * binary tensor data extension) and KServe's repository extension, each model route with and
 * without {@code /versions/{v}} (a version is a predictor revision).
 */
final class V2Routes {
  private static final String PROTOCOL = "v2";
  private static final String HEADER_LENGTH = "inference-header-content-length";
  private final GatewayServices services;

  V2Routes(GatewayServices services) {
    this.services = services;
  }

  void mount(Router router) {
    router.get("/v2").handler(this::serverMetadata);
    router
        .get("/v2/health/live")
        .handler(rc -> HttpApi.json(rc, 200, new JsonObject().put("live", true)));
    router.get("/v2/health/ready").handler(this::serverReady);
    router.get("/v2/models").handler(this::list);
    both(router, "", false, this::modelMetadata);
    both(router, "/ready", false, this::modelReady);
    both(router, "/infer", true, this::infer);
    router.post("/v2/repository/models/:name/load").handler(this::load);
    router.post("/v2/repository/models/:name/unload").handler(this::unload);
  }

  private static void both(Router router, String suffix, boolean post, Handler<RoutingContext> h) {
    for (String path :
        List.of("/v2/models/:name" + suffix, "/v2/models/:name/versions/:version" + suffix)) {
      (post ? router.post(path) : router.get(path)).handler(h);
    }
  }

  static JsonObject serverMetadataJson() {
    return new JsonObject()
        .put("name", GatewayServices.SERVER_NAME)
        .put("version", GatewayServices.SERVER_VERSION)
        .put(
            "extensions",
            new JsonArray().add("model_repository_extension").add("binary_tensor_data"));
  }

  private void serverMetadata(RoutingContext rc) {
    HttpApi.json(rc, 200, serverMetadataJson());
  }

  private void serverReady(RoutingContext rc) {
    if (services.ready().getAsBoolean()) {
      HttpApi.json(rc, 200, new JsonObject().put("ready", true));
    } else {
      HttpApi.error(rc, 503, "Server is not ready.");
    }
  }

  private void list(RoutingContext rc) {
    List<String> names = services.table().modelNames(HostRoutes.namespace(rc, services));
    HttpApi.json(rc, 200, new JsonObject().put("models", new JsonArray(List.copyOf(names))));
  }

  private void modelMetadata(RoutingContext rc) {
    guarded(
        rc,
        () -> {
          String ns = HostRoutes.namespace(rc, services);
          String model = rc.pathParam("name");
          String version = rc.pathParam("version");
          var metadata = services.table().metadata(ns, model, version);
          List<String> versions =
              version != null ? List.of(version) : services.table().versions(ns, model);
          HttpApi.json(rc, 200, metadata.toJson(model, versions));
        });
  }

  private void modelReady(RoutingContext rc) {
    guarded(
        rc,
        () -> {
          String model = rc.pathParam("name");
          services
              .dispatcher()
              .checkServable(HostRoutes.namespace(rc, services), model, rc.pathParam("version"));
          HttpApi.json(rc, 200, new JsonObject().put("name", model).put("ready", true));
        });
  }

  /**
   * Load: models are loaded by the control plane when their resource is applied, so this only
   * answers whether the model is loaded (200), loading (503) or unknown (404).
   */
  private void load(RoutingContext rc) {
    guarded(
        rc,
        () -> {
          String model = rc.pathParam("name");
          services.dispatcher().checkServable(HostRoutes.namespace(rc, services), model, null);
          HttpApi.json(rc, 200, new JsonObject().put("name", model).put("load", true));
        });
  }

  /** Unload: not done by the data plane; delete the TrainedModel or InferenceService instead. */
  private void unload(RoutingContext rc) {
    guarded(
        rc,
        () -> {
          String model = rc.pathParam("name");
          if (!services.table().exists(HostRoutes.namespace(rc, services), model)) {
            throw KaskadeException.notFound("Model with name " + model + " does not exist.");
          }
          throw new KaskadeException(
              dev.kaskade.schemas.error.Reason.UNIMPLEMENTED,
              "Unloading is done by the control plane: delete the TrainedModel or InferenceService "
                  + model
                  + ".");
        });
  }

  private void infer(RoutingContext rc) {
    long start = System.nanoTime();
    HttpApi.traceparent(rc);
    String model = rc.pathParam("name");
    Future<InferenceResponse> reply;
    V2Request request = null;
    try {
      request = parse(rc, model);
      reply = dispatch(rc, model, request);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    V2Request parsed = request;
    reply.onComplete(
        ar -> {
          int status = 200;
          if (ar.succeeded()) {
            try {
              V2Json.Encoded encoded = V2Json.encodeResponse(ar.result(), model, parsed);
              if (encoded.headerLength() >= 0) {
                rc.response()
                    .putHeader(
                        "Inference-Header-Content-Length",
                        Integer.toString(encoded.headerLength()));
                HttpApi.send(rc, 200, "application/octet-stream", encoded.body());
              } else {
                HttpApi.send(rc, 200, "application/json", encoded.body());
              }
            } catch (RuntimeException e) {
              HttpErrors.HttpError error = HttpErrors.of(e);
              status = error.status();
              HttpApi.error(rc, status, error.message());
            }
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

  private V2Request parse(RoutingContext rc, String model) {
    services
        .dispatcher()
        .checkServable(HostRoutes.namespace(rc, services), model, rc.pathParam("version"));
    String headerLength = rc.request().getHeader(HEADER_LENGTH);
    Integer length = null;
    if (headerLength != null) {
      try {
        length = Integer.parseInt(headerLength.trim());
      } catch (NumberFormatException e) {
        throw KaskadeException.invalid(
            "Inference-Header-Content-Length is not a number: " + headerLength);
      }
    } else {
      String contentType = rc.request().getHeader("content-type");
      if (contentType != null && contentType.startsWith("application/octet-stream")) {
        throw KaskadeException.invalid(
            "Inference-Header-Content-Length header is required for a binary request body");
      }
    }
    io.vertx.core.buffer.Buffer body =
        rc.body().buffer() == null ? io.vertx.core.buffer.Buffer.buffer() : rc.body().buffer();
    RequestChecks.jsonSize(length == null ? body.length() : length, services.config().limits());
    return V2Json.parseRequest(body, length);
  }

  private Future<InferenceResponse> dispatch(RoutingContext rc, String model, V2Request request) {
    String version = rc.pathParam("version");
    Route route =
        services
            .dispatcher()
            .route(HostRoutes.namespace(rc, services), model, request.id(), version);
    var req =
        new InferenceDispatcher.Request(
            request.id(), request.inputs(), null, request.parameters(), request.outputNames());
    var options =
        new InferenceDispatcher.Options(
            PROTOCOL,
            version,
            HttpApi.timeoutMs(rc),
            rc.response().headers().get("traceparent"),
            HttpAuth.subject(rc));
    return services.dispatcher().infer(route, req, options);
  }

  private static void guarded(RoutingContext rc, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      HttpErrors.HttpError error = HttpErrors.of(e);
      HttpApi.error(rc, error.status(), error.message());
    }
  }
}
