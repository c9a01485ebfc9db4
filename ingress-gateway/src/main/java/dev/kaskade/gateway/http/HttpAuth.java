package dev.kaskade.gateway.http;

import dev.kaskade.gateway.GatewayServices;
import dev.kaskade.gateway.auth.Authenticator;
import dev.kaskade.gateway.auth.Caller;
import dev.kaskade.gateway.auth.ConsoleTargets;
import dev.kaskade.gateway.auth.HttpTargets;
import dev.kaskade.gateway.console.ConsoleApi;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Authentication and authorization on the REST port, as two router-wide handlers, so every route
 * (those added later included) is covered: {@link #authenticate} runs before the body is read (a
 * caller without a valid token never gets its body buffered, let alone produced to Kafka), {@link
 * #authorize} after the host addressing, once the namespace and, for OpenAI calls, the model in the
 * body are known. Health, readiness and (unless protected) {@code /metrics} stay open.
 */
final class HttpAuth {
  /** Routing-context key of the authenticated {@link Caller}. */
  static final String CALLER = "kaskade.caller";

  private final GatewayServices services;
  private final Authenticator authenticator;

  HttpAuth(GatewayServices services, Authenticator authenticator) {
    this.services = services;
    this.authenticator = authenticator;
  }

  /** Mounts authentication; must come first, before the body handler. */
  void mountAuthentication(Router router) {
    router.route().handler(this::authenticate);
  }

  /** The subject of the call's token, or null without authentication. */
  static String subject(RoutingContext rc) {
    Caller caller = rc.get(CALLER);
    return caller == null ? null : caller.subject();
  }

  private boolean open(RoutingContext rc) {
    if (!authenticator.enabled()) {
      return true;
    }
    String path = rc.normalizedPath();
    if (ConsoleTargets.isAsset(rc.request().method().name(), path)) {
      return true;
    }
    if (path.equals("/metrics")) {
      return !authenticator.protectsMetrics();
    }
    return rc.request().method() == HttpMethod.GET && HttpTargets.isHealth(path);
  }

  private void authenticate(RoutingContext rc) {
    if (open(rc)) {
      rc.next();
      return;
    }
    // Hold the body back while a key reload may be awaited; the body handler resumes it.
    rc.request().pause();
    authenticator
        .authenticate(rc.request().getHeader("authorization"))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                rc.put(CALLER, ar.result());
                rc.next();
              } else {
                reject(rc, ar.cause());
              }
            });
  }

  /** Checks the policy for the call; mounted after the host addressing. */
  void authorize(RoutingContext rc) {
    if (open(rc)) {
      rc.next();
      return;
    }
    try {
      if (ConsoleTargets.isApi(rc.normalizedPath())) {
        authenticator.authorize(
            rc.get(CALLER),
            ConsoleTargets.of(
                rc.normalizedPath(),
                ConsoleApi.namespace(rc, services),
                rc.request().getParam("model")));
        rc.next();
        return;
      }
      HttpTargets.of(
              rc.request().method().name(),
              rc.normalizedPath(),
              HostRoutes.namespace(rc, services),
              rc.get(HostRoutes.MODEL),
              () -> rc.body().asString())
          .ifPresent(target -> authenticator.authorize(rc.get(CALLER), target));
      rc.next();
    } catch (RuntimeException e) {
      reject(rc, e);
    }
  }

  private static void reject(RoutingContext rc, Throwable failure) {
    KaskadeException e =
        failure instanceof KaskadeException k
            ? k
            : new KaskadeException(Reason.UNAUTHENTICATED, "Invalid bearer token.");
    int status = e.reason().httpStatus();
    if (e.reason() == Reason.UNAUTHENTICATED) {
      rc.response().putHeader("WWW-Authenticate", Authenticator.CHALLENGE);
    }
    if (HttpTargets.isOpenAi(rc.normalizedPath())) {
      boolean denied = e.reason() == Reason.PERMISSION_DENIED;
      JsonObject error =
          new JsonObject()
              .put("message", e.getMessage())
              .put("type", denied ? "permission_error" : "authentication_error")
              .put("code", denied ? "permission_denied" : "invalid_api_key");
      HttpApi.json(rc, status, new JsonObject().put("error", error));
    } else {
      HttpApi.error(rc, status, e.getMessage());
    }
    if (!rc.request().isEnded()) {
      // Let the connection read past the body nobody will use.
      rc.request().resume();
    }
  }
}
