package dev.kaskade.gateway.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * An InferenceGraph as the console draws it: its nodes (KServe's {@code spec.nodes}) with their
 * router type and steps, each step naming what it calls (a service, another node or a URL) and the
 * latency the graph router measured for it. Pure.
 */
public final class GraphView {
  private GraphView() {}

  /** Latency of one step, as the graph router's timer holds it. */
  public record StepLatency(long count, double meanMs, double maxMs) {
    JsonObject toJson() {
      return new JsonObject().put("count", count).put("mean_ms", meanMs).put("max_ms", maxMs);
    }
  }

  /** The key of a step's latency: node name and step name (or index when it has none). */
  public static String stepKey(String node, String step) {
    return node + "/" + step;
  }

  public static JsonObject of(String name, JsonObject nodes, Map<String, StepLatency> latency) {
    JsonArray out = new JsonArray();
    for (String nodeName : nodes.fieldNames().stream().sorted(GraphView::rootFirst).toList()) {
      JsonObject node = nodes.getValue(nodeName) instanceof JsonObject o ? o : new JsonObject();
      JsonArray steps = new JsonArray();
      JsonArray declared = node.getValue("steps") instanceof JsonArray a ? a : new JsonArray();
      for (int i = 0; i < declared.size(); i++) {
        JsonObject step = declared.getValue(i) instanceof JsonObject s ? s : new JsonObject();
        String stepName = step.getString("name", Integer.toString(i));
        StepLatency l = latency.get(stepKey(nodeName, stepName));
        steps.add(
            new JsonObject()
                .put("name", stepName)
                .put("target_kind", targetKind(step))
                .put("target", target(step))
                .put("weight", step.getValue("weight"))
                .put("condition", step.getString("condition"))
                .put("dependency", step.getString("dependency"))
                .put("latency", l == null ? null : l.toJson()));
      }
      out.add(
          new JsonObject()
              .put("name", nodeName)
              .put("router_type", node.getString("routerType", "Sequence"))
              .put("steps", steps));
    }
    return new JsonObject().put("name", name).put("nodes", out);
  }

  private static int rootFirst(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    return a.equals("root") ? -1 : b.equals("root") ? 1 : a.compareTo(b);
  }

  static String targetKind(JsonObject step) {
    if (step.getString("nodeName") != null) {
      return "node";
    }
    if (step.getString("serviceUrl") != null) {
      return "url";
    }
    return "service";
  }

  static String target(JsonObject step) {
    String node = step.getString("nodeName");
    if (node != null) {
      return node;
    }
    String url = step.getString("serviceUrl");
    return url != null ? url : step.getString("serviceName", "");
  }
}
