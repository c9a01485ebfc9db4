package dev.kaskade.gateway;

import dev.kaskade.gateway.bridge.InferenceDispatcher;
import dev.kaskade.gateway.metrics.GatewayMetrics;
import dev.kaskade.gateway.route.RoutingTable;
import java.util.function.BooleanSupplier;

/**
 * What the HTTP and gRPC front ends share.
 *
 * @param config settings
 * @param table routing table
 * @param dispatcher the call path to Kafka
 * @param metrics meters
 * @param ready server readiness (Kafka reachable and routing table caught up)
 */
public record GatewayServices(
    GatewayConfig config,
    RoutingTable table,
    InferenceDispatcher dispatcher,
    GatewayMetrics metrics,
    BooleanSupplier ready) {

  public static final String SERVER_NAME = "kaskade";
  public static final String SERVER_VERSION = "0.1.0";

  /** The metric label of models the routing table does not know. */
  public static final String UNKNOWN_MODEL = "unknown";

  /**
   * The {@code model} label of a call: the name when the routing table knows it, else {@link
   * #UNKNOWN_MODEL}, so names made up by clients cannot add meters without bound. The namespace is
   * the call's own (a host-addressed call's may differ from the gateway's).
   */
  public String metricLabel(String namespace, String model) {
    return model != null && table.exists(namespace, model) ? model : UNKNOWN_MODEL;
  }

  /** Header that overrides the deadline of one call, in milliseconds. */
  public static final String TIMEOUT_HEADER = "kaskade-timeout-ms";
}
