package dev.kaskade.gateway.http;

import dev.kaskade.gateway.GatewayServices;
import dev.kaskade.gateway.route.HostAddress;
import dev.kaskade.gateway.route.ModelKind;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * KServe's own addresses: a request whose Host is a resource's {@code status.url} host ({@code
 * <name>.<namespace>.<domain>}, setting {@code control.domain}) is served in that namespace, on the
 * usual V1/V2 paths, and {@code POST /} on an InferenceGraph's host runs the graph on the body, as
 * KServe's router does. A host that names nothing known falls through to plain path routing in the
 * gateway's namespace.
 */
public final class HostRoutes {
  /** Routing-context key of the namespace a host addressed. */
  static final String NAMESPACE = "kaskade.host.namespace";

  /** Routing-context key of the resource a host addressed. */
  static final String MODEL = "kaskade.host.model";

  private final GatewayServices services;
  private final V1Routes v1;

  HostRoutes(GatewayServices services, V1Routes v1) {
    this.services = services;
    this.v1 = v1;
  }

  /**
   * Must be mounted before the V1/V2 routes, after the body handler; {@code authorize} runs once
   * the host is resolved, before any route.
   */
  void mount(Router router, io.vertx.core.Handler<RoutingContext> authorize) {
    router.route().handler(this::address);
    router.route().handler(authorize);
    router.post("/").handler(this::root);
  }

  private void address(RoutingContext rc) {
    resolve(rc)
        .ifPresent(
            a -> {
              rc.put(NAMESPACE, a.namespace());
              rc.put(MODEL, a.name());
            });
    rc.next();
  }

  /** {@code POST /}: an InferenceGraph's host runs it; anything else is not a route. */
  private void root(RoutingContext rc) {
    Optional<HostAddress> address = resolve(rc);
    if (address.isPresent()
        && services.table().kind(address.get().namespace(), address.get().name())
            == ModelKind.INFERENCE_GRAPH) {
      v1.predict(rc, address.get().name());
    } else {
      HttpApi.error(rc, 404, "Not found: /");
    }
  }

  /** The known resource the request's host names, if any. */
  private Optional<HostAddress> resolve(RoutingContext rc) {
    HostAndPort authority = rc.request().authority();
    return HostAddress.parse(authority == null ? null : authority.host(), domain())
        .flatMap(
            a -> {
              if (services.table().exists(a.namespace(), a.name())) {
                return Optional.of(a);
              }
              HostAddress base = a.withoutComponent();
              return services.table().exists(base.namespace(), base.name())
                  ? Optional.of(base)
                  : Optional.empty();
            });
  }

  private String domain() {
    return services.config().domain();
  }

  /** The namespace of this request: its host's, else the gateway's. */
  public static String namespace(RoutingContext rc, GatewayServices services) {
    String ns = rc.get(NAMESPACE);
    return ns != null ? ns : services.config().namespace();
  }
}
