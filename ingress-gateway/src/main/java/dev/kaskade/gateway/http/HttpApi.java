package dev.kaskade.gateway.http;

import dev.kaskade.gateway.GatewayServices;
import dev.kaskade.gateway.auth.Authenticator;
import dev.kaskade.gateway.bridge.GenerationStreams;
import dev.kaskade.gateway.bridge.TraceParent;
import dev.kaskade.gateway.console.ConsoleApi;
import dev.kaskade.gateway.console.ConsoleAssets;
import dev.kaskade.gateway.openai.OpenAiRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The REST surface: KServe V1, Open Inference Protocol V2, OpenAI, health and Prometheus metrics on
 * one Vert.x router. Handlers never block: every call ends in a future completed by the Kafka
 * bridge.
 */
public final class HttpApi {
  private final GatewayServices services;
  private final HttpAuth auth;
  private final GenerationStreams streams;
  private final ConsoleApi console;

  public HttpApi(GatewayServices services) {
    this(services, Authenticator.disabled(), null);
  }

  public HttpApi(GatewayServices services, Authenticator authenticator) {
    this(services, authenticator, null);
  }

  /** With the streaming half of the bridge, for OpenAI {@code stream:true} (null: refused). */
  public HttpApi(GatewayServices services, Authenticator authenticator, GenerationStreams streams) {
    this(services, authenticator, streams, null);
  }

  /** With the web console ({@code /ui}) and its API ({@code /api}); null: neither is served. */
  public HttpApi(
      GatewayServices services,
      Authenticator authenticator,
      GenerationStreams streams,
      ConsoleApi console) {
    this.services = services;
    this.auth = new HttpAuth(services, authenticator);
    this.streams = streams;
    this.console = console;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    auth.mountAuthentication(router);
    router
        .route()
        .handler(BodyHandler.create(false).setBodyLimit(services.config().maxBodyBytes()));
    V1Routes v1 = new V1Routes(services);
    new HostRoutes(services, v1).mount(router, auth::authorize);
    router.get("/").handler(rc -> json(rc, 200, new JsonObject().put("status", "alive")));
    router.get("/metrics").handler(this::metrics);
    if (console != null) {
      new ConsoleAssets().mount(router);
      console.mount(router);
    }
    new OpenAiRoutes(services, streams, services.config().openAiHeartbeatMs()).mount(router);
    v1.mount(router);
    new V2Routes(services).mount(router);
    router.errorHandler(
        413,
        rc ->
            error(
                rc,
                413,
                "Request body exceeds the limit of "
                    + services.config().maxBodyBytes()
                    + " bytes (setting gateway.max.body.bytes)."));
    router.errorHandler(404, rc -> error(rc, 404, "Not found: " + rc.request().path()));
    router.errorHandler(405, rc -> error(rc, 405, "Method not allowed: " + rc.request().method()));
    router.errorHandler(
        500,
        rc -> {
          HttpErrors.HttpError e =
              HttpErrors.of(
                  rc.failure() == null ? new IllegalStateException("unknown") : rc.failure());
          error(rc, e.status(), e.message());
        });
    return router;
  }

  private void metrics(RoutingContext rc) {
    if (services.metrics().registry() instanceof PrometheusMeterRegistry prometheus) {
      rc.response()
          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(prometheus.scrape());
    } else {
      error(rc, 501, "The metrics registry is not a Prometheus registry.");
    }
  }

  /** The authenticated caller's subject (JWT {@code sub}), or null without authentication. */
  public static String subject(RoutingContext rc) {
    return HttpAuth.subject(rc);
  }

  public static void json(RoutingContext rc, int status, JsonObject body) {
    send(rc, status, "application/json", body.toBuffer());
  }

  static void error(RoutingContext rc, int status, String message) {
    json(rc, status, new JsonObject().put("error", message));
  }

  static void send(RoutingContext rc, int status, String contentType, Buffer body) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("content-type", contentType).end(body);
  }

  /** The caller's traceparent or a new one; echoed on the response. */
  public static String traceparent(RoutingContext rc) {
    String trace = TraceParent.fromOrNew(rc.request().getHeader("traceparent"));
    rc.response().putHeader("traceparent", trace);
    return trace;
  }

  /** The {@code kaskade-timeout-ms} header, or 0. */
  public static long timeoutMs(RoutingContext rc) {
    String value = rc.request().getHeader(GatewayServices.TIMEOUT_HEADER);
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      throw dev.kaskade.schemas.error.KaskadeException.invalid(
          GatewayServices.TIMEOUT_HEADER + " must be a number of milliseconds, got " + value);
    }
  }
}
