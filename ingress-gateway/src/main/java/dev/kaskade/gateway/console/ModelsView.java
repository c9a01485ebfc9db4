package dev.kaskade.gateway.console;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.gateway.route.ModelKind;
import dev.kaskade.gateway.route.ModelMetadata;
import dev.kaskade.gateway.route.RoutingTable;
import dev.kaskade.schemas.route.TrafficSplit;
import dev.kaskade.schemas.topic.Topics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The console's model list: every InferenceService, TrainedModel and InferenceGraph of the routing
 * table with readiness, the reason of the state, revisions with their traffic share, protocol
 * endpoints and an example V2 request built from the reported metadata. Pure: a function of the
 * table's snapshot.
 */
public final class ModelsView {
  private ModelsView() {}

  /**
   * @param snapshot the routing table's resources and statuses
   * @param table readiness as the gateway routes (the same answer a call would get)
   * @param namespace only this namespace, or null for all
   */
  public static JsonArray of(
      RoutingTable.Snapshot snapshot, RoutingTable table, Topics topics, String namespace) {
    JsonArray out = new JsonArray();
    snapshot.resources().stream()
        .filter(r -> namespace == null || namespace.equals(r.getNamespace()))
        .sorted(
            Comparator.comparing(ResourceEvent::getNamespace).thenComparing(ResourceEvent::getName))
        .forEach(r -> out.add(model(r, snapshot.statuses(), table, topics)));
    return out;
  }

  static JsonObject model(
      ResourceEvent r, List<ComponentStatus> statuses, RoutingTable table, Topics topics) {
    ModelKind kind = ModelKind.ofResourceKind(r.getKind());
    String ns = r.getNamespace();
    String name = r.getName();
    List<ComponentStatus> own = statuses.stream().filter(s -> owns(r, s)).toList();
    boolean ready = ready(table, ns, name);
    JsonObject o =
        new JsonObject()
            .put("kind", r.getKind())
            .put("namespace", ns)
            .put("name", name)
            .put("ready", ready)
            .put("reason", ready ? null : reason(own))
            .put("endpoints", endpoints(kind, ns, name, topics));
    if (r.getSpec() instanceof InferenceServiceSpec spec) {
      o.put("model_format", spec.getPredictor().getModelFormat());
      o.put("protocol", spec.getPredictor().getProtocolVersion());
      o.put("revisions", revisions(spec, own));
    } else if (r.getSpec() instanceof TrainedModelSpec tm) {
      o.put("inference_service", tm.getInferenceService());
    } else if (r.getSpec() instanceof InferenceGraphSpec g) {
      o.put("nodes", parse(g.getNodesJson()));
    }
    ModelMetadata metadata = metadata(own);
    if (metadata != null && !metadata.inputs().isEmpty()) {
      o.put("inputs", specs(metadata.inputs()));
      o.put("outputs", specs(metadata.outputs()));
      o.put("example_v2", exampleV2(metadata));
    }
    return o;
  }

  private static boolean ready(RoutingTable table, String ns, String name) {
    try {
      return table.isReady(ns, name, null);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean owns(ResourceEvent r, ComponentStatus s) {
    return r.getKind().equals(s.getKind())
        && r.getNamespace().equals(s.getNamespace())
        && r.getName().equals(s.getName());
  }

  /** The first non-Ready status's reason and message, newest first; null when none says why. */
  static String reason(List<ComponentStatus> own) {
    return own.stream()
        .filter(s -> s.getState() != ModelState.Ready)
        .sorted(Comparator.comparingLong(ComponentStatus::getTimestampMs).reversed())
        .map(
            s ->
                s.getState()
                    + (s.getReason() == null ? "" : ": " + s.getReason())
                    + (s.getMessage() == null ? "" : " (" + s.getMessage() + ")"))
        .findFirst()
        .orElse(own.isEmpty() ? "No component has reported a state yet." : null);
  }

  /** Each rolled-out revision with its traffic percent, state and shadow flag. */
  static JsonArray revisions(InferenceServiceSpec spec, List<ComponentStatus> own) {
    String latest = spec.getPredictor().getRevision();
    String shadow = TrafficSplit.shadowRevision(spec);
    Integer canary = spec.getCanaryTrafficPercent();
    List<String> revs = TrafficSplit.revisions(spec);
    JsonArray out = new JsonArray();
    for (String rev : revs) {
      int percent;
      if (revs.size() == 1 || canary == null) {
        percent = rev.equals(latest) ? 100 : 0;
      } else {
        int latestShare = Math.max(0, Math.min(100, canary));
        percent = rev.equals(latest) ? latestShare : 100 - latestShare;
      }
      List<ComponentStatus> states = own.stream().filter(s -> rev.equals(s.getRevision())).toList();
      out.add(
          new JsonObject()
              .put("revision", rev)
              .put("latest", rev.equals(latest))
              .put("traffic_percent", percent)
              .put("shadow", rev.equals(shadow))
              .put("state", state(states))
              .put("instances", states.size()));
    }
    return out;
  }

  private static String state(List<ComponentStatus> states) {
    if (states.stream().anyMatch(s -> s.getState() == ModelState.Ready)) {
      return ModelState.Ready.name();
    }
    return states.stream()
        .max(Comparator.comparingLong(ComponentStatus::getTimestampMs))
        .map(s -> s.getState().name())
        .orElse(ModelState.Unknown.name());
  }

  static JsonObject endpoints(ModelKind kind, String ns, String name, Topics topics) {
    JsonObject e = new JsonObject();
    if (kind == ModelKind.INFERENCE_GRAPH) {
      e.put("http", "POST / with Host: " + name + "." + ns + " (or the graph's own host)");
      e.put("kafka", topics.graphRequests(ns, name));
      return e;
    }
    e.put("v1", "/v1/models/" + name + ":predict");
    e.put("v2", "/v2/models/" + name + "/infer");
    e.put("grpc", "inference.GRPCInferenceService/ModelInfer model_name=" + name);
    e.put("kafka", topics.requests(ns, name));
    return e;
  }

  private static ModelMetadata metadata(List<ComponentStatus> own) {
    return own.stream()
        .filter(s -> s.getState() == ModelState.Ready)
        .map(s -> ModelMetadata.parse(s.getModelMetadataJson()))
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static JsonArray specs(List<ModelMetadata.TensorSpec> specs) {
    JsonArray out = new JsonArray();
    specs.forEach(s -> out.add(s.toJson()));
    return out;
  }

  /**
   * An example V2 request: one instance per input, variable dimensions set to 1, numbers 1 and
   * strings "text". Sizes are capped so a large declared shape does not make a large page.
   */
  static JsonObject exampleV2(ModelMetadata metadata) {
    JsonArray inputs = new JsonArray();
    for (ModelMetadata.TensorSpec t : metadata.inputs()) {
      JsonArray shape = new JsonArray();
      long count = 1;
      for (Long d : t.shape()) {
        long dim = d == null || d < 1 ? 1 : Math.min(d, 64);
        shape.add(dim);
        count *= dim;
      }
      count = Math.min(count, 4096);
      JsonArray data = new JsonArray();
      boolean bytes = t.datatype().name().equals("BYTES");
      boolean bool = t.datatype().name().equals("BOOL");
      for (long i = 0; i < count; i++) {
        data.add(bytes ? "text" : bool ? (Object) Boolean.TRUE : (Object) 1);
      }
      inputs.add(
          new JsonObject()
              .put("name", t.name())
              .put("shape", shape)
              .put("datatype", t.datatype().name())
              .put("data", data));
    }
    return new JsonObject().put("inputs", inputs);
  }

  private static Object parse(String json) {
    try {
      return json == null ? new JsonObject() : new JsonObject(json);
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }
}
