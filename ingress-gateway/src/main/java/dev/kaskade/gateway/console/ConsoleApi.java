package dev.kaskade.gateway.console;

import dev.kaskade.gateway.GatewayServices;
import dev.kaskade.gateway.http.HttpApi;
import dev.kaskade.gateway.http.HttpErrors;
import dev.kaskade.gateway.metrics.TrafficRing;
import dev.kaskade.gateway.route.ModelKind;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The console's JSON API under {@code /api}: models, live traffic, drift and outliers, the audit
 * store and graphs. Everything the console shows comes from here; authentication and the policy
 * apply as on every other route (see {@link dev.kaskade.gateway.auth.ConsoleTargets}). Errors use
 * the gateway's {@code {"error": "..."}} shape.
 */
public final class ConsoleApi {
  public static final long MAX_WINDOW_MS = TrafficRing.BUCKET_MS * TrafficRing.BUCKETS;
  public static final String STEP_TIMER = "kaskade_graph_step_latency";

  private final GatewayServices services;
  private final Topics topics;
  private final MonitorStore monitor;
  private final AuditBrowser audit;

  /**
   * @param monitor drift and outlier results, or null when the gateway does not follow them
   * @param audit the audit store, or null when none is configured
   */
  public ConsoleApi(
      GatewayServices services, Topics topics, MonitorStore monitor, AuditBrowser audit) {
    this.services = services;
    this.topics = topics;
    this.monitor = monitor;
    this.audit = audit;
  }

  /** The call's namespace: the {@code namespace} parameter, else the gateway's. */
  public static String namespace(RoutingContext rc, GatewayServices services) {
    String ns = rc.request().getParam("namespace");
    return ns == null || ns.isBlank() ? services.config().namespace() : ns.trim();
  }

  public void mount(Router router) {
    router.get("/api/models").handler(rc -> answer(rc, () -> models(rc)));
    router.get("/api/traffic").handler(rc -> answer(rc, () -> traffic(rc)));
    router.get("/api/monitor").handler(rc -> answer(rc, this::monitorModels));
    router.get("/api/monitor/:model").handler(rc -> answer(rc, () -> monitorView(rc)));
    router.get("/api/graphs/:name").handler(rc -> answer(rc, () -> graph(rc)));
    router.get("/api/audit").handler(rc -> blocking(rc, () -> auditSearch(rc)));
    router
        .get("/api/audit/verify")
        .handler(
            rc ->
                blocking(
                    rc,
                    () ->
                        requireAudit()
                            .verify(rc.request().getParam("from"), rc.request().getParam("to"))));
    router.get("/api/audit/replays").handler(rc -> blocking(rc, () -> requireAudit().replays()));
    router
        .get("/api/audit/records/:id")
        .handler(
            rc ->
                blocking(
                    rc,
                    () ->
                        requireAudit()
                            .record(
                                namespace(rc, services),
                                rc.pathParam("id"),
                                rc.request().getParam("from"),
                                rc.request().getParam("to"))));
    router
        .route("/api/*")
        .handler(
            rc ->
                fail(
                    rc,
                    KaskadeException.notFound(
                        "Not found: "
                            + rc.request().path()
                            + " (see docs/console.md for the console API).")));
  }

  private JsonObject models(RoutingContext rc) {
    String ns = rc.request().getParam("namespace");
    return new JsonObject()
        .put(
            "models",
            ModelsView.of(
                services.table().snapshot(),
                services.table(),
                topics,
                ns == null || ns.isBlank() ? null : ns.trim()));
  }

  private JsonObject traffic(RoutingContext rc) {
    long window = windowMs(rc.request().getParam("window"));
    TrafficRing ring = services.metrics().traffic();
    JsonArray models = new JsonArray();
    for (String model : ring.models()) {
      JsonArray points = new JsonArray();
      for (TrafficRing.Point p : ring.series(model, window)) {
        points.add(
            new JsonObject()
                .put("time_ms", p.timeMs())
                .put("calls", p.calls())
                .put("rate", p.ratePerSecond())
                .put("p50_ms", Double.isNaN(p.p50Ms()) ? null : p.p50Ms())
                .put("p99_ms", Double.isNaN(p.p99Ms()) ? null : p.p99Ms())
                .put("errors_5xx", p.errors5xx())
                .put("errors_4xx", p.errors4xx()));
      }
      models.add(new JsonObject().put("model", model).put("points", points));
    }
    return new JsonObject()
        .put("bucket_ms", TrafficRing.BUCKET_MS)
        .put("window_ms", window)
        .put("models", models);
  }

  /** {@code window} as {@code 90s}, {@code 5m} or milliseconds; at most the ring's span. */
  static long windowMs(String window) {
    if (window == null || window.isBlank()) {
      return MAX_WINDOW_MS;
    }
    String w = window.trim();
    long ms;
    try {
      if (w.endsWith("m")) {
        ms = TimeUnit.MINUTES.toMillis(Long.parseLong(w.substring(0, w.length() - 1)));
      } else if (w.endsWith("s")) {
        ms = TimeUnit.SECONDS.toMillis(Long.parseLong(w.substring(0, w.length() - 1)));
      } else {
        ms = Long.parseLong(w);
      }
    } catch (NumberFormatException e) {
      throw KaskadeException.invalid("window must be like 90s, 5m or milliseconds, got " + w);
    }
    if (ms < TrafficRing.BUCKET_MS || ms > MAX_WINDOW_MS) {
      throw KaskadeException.invalid(
          "window must be between "
              + TrafficRing.BUCKET_MS / 1000
              + "s and "
              + MAX_WINDOW_MS / 60_000
              + "m, got "
              + w);
    }
    return ms;
  }

  private JsonObject monitorModels() {
    return new JsonObject()
        .put("following", monitor != null)
        .put("models", new JsonArray(monitor == null ? java.util.List.of() : monitor.models()));
  }

  private JsonObject monitorView(RoutingContext rc) {
    if (monitor == null) {
      throw new KaskadeException(
          Reason.UNIMPLEMENTED, "This gateway does not follow the monitor topics.");
    }
    return monitor.view(namespace(rc, services), rc.pathParam("model"));
  }

  private JsonObject graph(RoutingContext rc) {
    String ns = namespace(rc, services);
    String name = rc.pathParam("name");
    var graph =
        services.table().snapshot().resources().stream()
            .filter(r -> ModelKind.ofResourceKind(r.getKind()) == ModelKind.INFERENCE_GRAPH)
            .filter(r -> r.getNamespace().equals(ns) && r.getName().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    KaskadeException.notFound(
                        "InferenceGraph " + name + " does not exist in namespace " + ns + "."));
    JsonObject nodes =
        ModelsView.model(graph, java.util.List.of(), services.table(), topics)
            .getJsonObject("nodes", new JsonObject());
    return GraphView.of(name, nodes, stepLatency(name));
  }

  private Map<String, GraphView.StepLatency> stepLatency(String graph) {
    Map<String, GraphView.StepLatency> out = new HashMap<>();
    for (Timer t : services.metrics().registry().find(STEP_TIMER).tag("graph", graph).timers()) {
      out.put(
          GraphView.stepKey(t.getId().getTag("node"), t.getId().getTag("step")),
          new GraphView.StepLatency(
              t.count(), t.mean(TimeUnit.MILLISECONDS), t.max(TimeUnit.MILLISECONDS)));
    }
    return out;
  }

  private JsonObject auditSearch(RoutingContext rc) throws Exception {
    var p = rc.request();
    Integer limit = null;
    if (p.getParam("limit") != null) {
      try {
        limit = Integer.parseInt(p.getParam("limit").trim());
      } catch (NumberFormatException e) {
        throw KaskadeException.invalid("limit must be a number, got " + p.getParam("limit"));
      }
    }
    return requireAudit()
        .search(
            new AuditBrowser.Search(
                namespace(rc, services),
                p.getParam("model"),
                p.getParam("from"),
                p.getParam("to"),
                p.getParam("id"),
                p.getParam("outcome"),
                AuditBrowser.limit(limit)));
  }

  private AuditBrowser requireAudit() {
    if (audit == null) {
      throw new KaskadeException(
          Reason.UNIMPLEMENTED,
          "This gateway has no audit store configured (setting audit.store).");
    }
    return audit;
  }

  private static void answer(RoutingContext rc, Callable<JsonObject> body) {
    try {
      HttpApi.json(rc, 200, body.call());
    } catch (Exception e) {
      fail(rc, e);
    }
  }

  private static void blocking(RoutingContext rc, Callable<JsonObject> body) {
    rc.vertx()
        .executeBlocking(body, false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                HttpApi.json(rc, 200, ar.result());
              } else {
                fail(rc, ar.cause());
              }
            });
  }

  private static void fail(RoutingContext rc, Throwable failure) {
    Throwable cause = failure;
    if (failure instanceof java.io.IOException || failure instanceof java.io.UncheckedIOException) {
      cause =
          new KaskadeException(
              Reason.UNAVAILABLE, "Cannot read the audit store: " + failure.getMessage());
    }
    HttpErrors.HttpError e = HttpErrors.of(cause);
    HttpApi.json(rc, e.status(), e.body());
  }
}
