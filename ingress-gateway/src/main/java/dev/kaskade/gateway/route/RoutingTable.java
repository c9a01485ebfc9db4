package dev.kaskade.gateway.route;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.kafka.StatusComponents;
import dev.kaskade.schemas.route.ScaleToZeroRules;
import dev.kaskade.schemas.route.TrafficSplit;
import dev.kaskade.schemas.route.TrainedModelRules;
import dev.kaskade.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the gateway knows about served models, built only from the control and status topics: pure
 * state with no client. The reader thread applies records; event-loop threads query. Methods are
 * synchronized because the maps are small and queries are cheap.
 */
public final class RoutingTable {
  private final Topics topics;
  private final Map<String, ResourceEvent> resources = new HashMap<>();
  private final Map<String, ComponentStatus> statuses = new HashMap<>();

  /**
   * Each status's model metadata, parsed once when the status arrives rather than on every request
   * that routes by it (parsing the JSON per call was 7 % of the event loop under load).
   */
  private final Map<String, ModelMetadata> metadata = new HashMap<>();

  public RoutingTable(Topics topics) {
    this.topics = topics;
  }

  /** Applies a control record; a null value (tombstone) deletes the resource. */
  public synchronized void applyResource(String key, ResourceEvent event) {
    if (event == null) {
      resources.remove(key);
    } else {
      resources.put(key, event);
    }
  }

  /** Applies a status record; a null value deletes it. */
  public synchronized void applyStatus(String key, ComponentStatus status) {
    if (status == null) {
      statuses.remove(key);
      metadata.remove(key);
      return;
    }
    statuses.put(key, status);
    ModelMetadata parsed = ModelMetadata.parse(status.getModelMetadataJson());
    if (parsed != null) {
      metadata.put(key, parsed);
    } else {
      metadata.remove(key);
    }
  }

  /** A copy of everything known, for the console: served resources and their statuses. */
  public synchronized Snapshot snapshot() {
    List<ResourceEvent> served = new ArrayList<>();
    for (ResourceEvent r : resources.values()) {
      if (ModelKind.ofResourceKind(r.getKind()) != null) {
        served.add(r);
      }
    }
    return new Snapshot(served, new ArrayList<>(statuses.values()));
  }

  /** Served resources (InferenceServices, TrainedModels, InferenceGraphs) and every status. */
  public record Snapshot(List<ResourceEvent> resources, List<ComponentStatus> statuses) {}

  /** Served names in the namespace: InferenceServices, TrainedModels and InferenceGraphs. */
  public synchronized List<String> modelNames(String namespace) {
    TreeSet<String> names = new TreeSet<>();
    for (ResourceEvent r : resources.values()) {
      if (namespace.equals(r.getNamespace()) && ModelKind.ofResourceKind(r.getKind()) != null) {
        names.add(r.getName());
      }
    }
    return new ArrayList<>(names);
  }

  public synchronized boolean exists(String namespace, String name) {
    return find(namespace, name) != null;
  }

  /** What the name is in the namespace, or null when nothing is served under it. */
  public synchronized ModelKind kind(String namespace, String name) {
    ResourceEvent r = find(namespace, name);
    return r == null ? null : ModelKind.ofResourceKind(r.getKind());
  }

  /** Whether a request to the model (optionally pinned to a version) can be served now. */
  public synchronized boolean isReady(String namespace, String name, String version) {
    ResourceEvent r = require(namespace, name);
    return switch (ModelKind.ofResourceKind(r.getKind())) {
      case INFERENCE_SERVICE -> isvcReady(r, version);
      case TRAINED_MODEL -> trainedModelReady(r);
      case INFERENCE_GRAPH -> graphReady(r);
    };
  }

  /** Ready predictor revisions of the model (newest first); empty for graphs. */
  public synchronized List<String> versions(String namespace, String name) {
    ResourceEvent r = require(namespace, name);
    InferenceServiceSpec spec = isvcSpec(r);
    List<String> versions = new ArrayList<>();
    if (spec == null) {
      return versions;
    }
    for (String rev : TrafficSplit.revisions(spec)) {
      if (revisionReady(spec, r.getNamespace(), isvcName(r), rev)) {
        versions.add(rev);
      }
    }
    return versions;
  }

  /** Metadata of the model (of the pinned version when given); empty when none is reported. */
  public synchronized ModelMetadata metadata(String namespace, String name, String version) {
    ResourceEvent r = require(namespace, name);
    ModelKind kind = ModelKind.ofResourceKind(r.getKind());
    if (kind == ModelKind.TRAINED_MODEL) {
      ModelMetadata own = metadataOf(r.getKind(), namespace, name, null);
      return own != null ? own : ModelMetadata.empty(name);
    }
    InferenceServiceSpec spec = isvcSpec(r);
    if (spec == null) {
      return ModelMetadata.empty(name);
    }
    String rev = version != null ? requireVersion(spec, name, version) : null;
    ModelMetadata m = metadataOf(r.getKind(), namespace, name, rev);
    return m != null ? m : ModelMetadata.empty(name);
  }

  /**
   * The route of one request. Throws NOT_FOUND for an unknown model or version and UNAVAILABLE when
   * no revision that could serve it is ready.
   */
  public synchronized Route route(String namespace, String name, String requestId, String version) {
    ResourceEvent r = require(namespace, name);
    return switch (ModelKind.ofResourceKind(r.getKind())) {
      case INFERENCE_GRAPH -> graphRoute(r);
      case TRAINED_MODEL -> trainedModelRoute(r, requestId);
      case INFERENCE_SERVICE -> isvcRoute(r, name, requestId, version);
    };
  }

  /**
   * Where to mirror a request of this InferenceService: its ready shadow revision ({@link
   * TrafficSplit#shadowRevision}), or null when there is none.
   */
  public synchronized ShadowRoute shadow(String namespace, String name) {
    ResourceEvent r = find(namespace, name);
    if (r == null || ModelKind.ofResourceKind(r.getKind()) != ModelKind.INFERENCE_SERVICE) {
      return null;
    }
    InferenceServiceSpec spec = isvcSpec(r);
    String shadow = spec == null ? null : TrafficSplit.shadowRevision(spec);
    if (shadow == null || !revisionReady(spec, namespace, name, shadow)) {
      return null;
    }
    return new ShadowRoute(
        topics.predictor(namespace, name, shadow), shadow, topics.shadowResponses(namespace, name));
  }

  /** A shadow revision: where its copies go, its id, and where it answers. */
  public record ShadowRoute(String topic, String revision, String responsesTopic) {}

  /** The explainer route of an InferenceService; UNIMPLEMENTED when it has no explainer. */
  public synchronized Route explainRoute(String namespace, String name) {
    ResourceEvent r = require(namespace, name);
    InferenceServiceSpec spec = isvcSpec(r);
    if (spec == null || ModelKind.ofResourceKind(r.getKind()) != ModelKind.INFERENCE_SERVICE) {
      throw new KaskadeException(
          Reason.UNIMPLEMENTED, "Model with name " + name + " has no explainer.");
    }
    if (spec.getExplainer() == null) {
      throw new KaskadeException(
          Reason.UNIMPLEMENTED, "Model with name " + name + " has no explainer.");
    }
    if (!isvcReady(r, null)) {
      throw notReady(name);
    }
    return new Route(
        namespace,
        name,
        topics.explainRequests(namespace, name),
        "",
        ModelMetadata.empty(name),
        timeoutMs(spec),
        true);
  }

  private Route isvcRoute(ResourceEvent r, String name, String requestId, String version) {
    InferenceServiceSpec spec = isvcSpec(r);
    String ns = r.getNamespace();
    if (spec.getTransformer() != null && version == null) {
      if (!isvcReady(r, null)) {
        throw notReady(name);
      }
      return new Route(
          ns,
          name,
          topics.requests(ns, name),
          "",
          ModelMetadata.empty(name),
          timeoutMs(spec),
          true);
    }
    String revision = version != null ? requireVersion(spec, name, version) : null;
    if (revision != null && !revisionReady(spec, ns, name, revision)) {
      throw notReady(name);
    }
    if (revision == null) {
      revision = readyRevisionFor(spec, ns, name, requestId);
    }
    ModelMetadata m = metadataOf(r.getKind(), ns, name, revision);
    return new Route(
        ns,
        name,
        topics.predictor(ns, name, revision),
        revision,
        m != null ? m : ModelMetadata.empty(name),
        timeoutMs(spec),
        false);
  }

  /** The canary choice, falling back to the other revision when the chosen one is not ready. */
  private String readyRevisionFor(
      InferenceServiceSpec spec, String ns, String name, String requestId) {
    return TrafficSplit.readyRevisionFor(requestId, spec, rev -> revisionReady(spec, ns, name, rev))
        .orElseThrow(() -> notReady(name));
  }

  private Route trainedModelRoute(ResourceEvent r, String requestId) {
    String ns = r.getNamespace();
    ResourceEvent parent = parentOf(r);
    if (parent == null || isvcSpec(parent) == null) {
      throw notReady(r.getName());
    }
    if (!isvcSpec(parent).getPredictor().getMultiModel()) {
      throw KaskadeException.notFound(
          TrainedModelRules.notMultiModel(r.getName(), parent.getName()));
    }
    if (!trainedModelReady(r)) {
      throw notReady(r.getName());
    }
    Route parentRoute = isvcRoute(parent, parent.getName(), requestId, null);
    ModelMetadata m = metadataOf(r.getKind(), ns, r.getName(), null);
    return new Route(
        ns,
        r.getName(),
        parentRoute.topic(),
        parentRoute.revision(),
        m != null ? m : ModelMetadata.empty(r.getName()),
        parentRoute.timeoutMs(),
        parentRoute.jsonPassThrough());
  }

  private Route graphRoute(ResourceEvent r) {
    if (!graphReady(r)) {
      throw notReady(r.getName());
    }
    long timeout = 0;
    if (r.getSpec() instanceof dev.kaskade.events.InferenceGraphSpec g
        && g.getTimeoutSeconds() != null) {
      timeout = g.getTimeoutSeconds() * 1000;
    }
    return new Route(
        r.getNamespace(),
        r.getName(),
        topics.graphRequests(r.getNamespace(), r.getName()),
        "",
        ModelMetadata.empty(r.getName()),
        timeout,
        true);
  }

  private boolean isvcReady(ResourceEvent r, String version) {
    InferenceServiceSpec spec = isvcSpec(r);
    if (spec == null) {
      return false;
    }
    if (version != null) {
      return revisionReady(
          spec, r.getNamespace(), r.getName(), requireVersion(spec, r.getName(), version));
    }
    for (String rev : TrafficSplit.revisions(spec)) {
      if (revisionReady(spec, r.getNamespace(), r.getName(), rev)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A TrainedModel is served while an instance has it loaded, or while its multi-model parent is
   * ready and no instance failed to load it: not loaded yet, loading, or evicted by the memory
   * budget, the worker loads it when this request reaches it (and holds the request meanwhile).
   */
  private boolean trainedModelReady(ResourceEvent r) {
    List<ModelState> states = new ArrayList<>();
    for (ComponentStatus s : statuses.values()) {
      if (matches(s, r.getKind(), r.getNamespace(), r.getName(), null, null)) {
        states.add(s.getState());
      }
    }
    ResourceEvent parent = parentOf(r);
    boolean parentServes =
        parent != null
            && isvcSpec(parent) != null
            && isvcSpec(parent).getPredictor().getMultiModel()
            && isvcReady(parent, null);
    return TrainedModelRules.servable(states, parentServes);
  }

  private ResourceEvent parentOf(ResourceEvent trainedModel) {
    if (!(trainedModel.getSpec() instanceof TrainedModelSpec tm)) {
      return null;
    }
    return resources.get(
        ResourceKeys.resource(
            ModelKind.INFERENCE_SERVICE.resourceKind(),
            trainedModel.getNamespace(),
            tm.getInferenceService()));
  }

  /** Graphs are ready unless their processor reported a state and none of them is Ready. */
  private boolean graphReady(ResourceEvent r) {
    Boolean ready = anyReady(r.getKind(), r.getNamespace(), r.getName(), null, null);
    return ready == null || ready;
  }

  private boolean revisionReady(InferenceServiceSpec spec, String ns, String name, String rev) {
    Boolean ready = anyReady("InferenceService", ns, name, StatusComponents.PREDICTOR, rev);
    if (ready == null) {
      // No worker reported yet: a min-0 revision starts with none (KEDA wakes one on the lag of
      // the requests routed to it).
      return ScaleToZeroRules.scalesToZero(predictorOf(spec, rev));
    }
    return ready
        || (ScaleToZeroRules.scalesToZero(predictorOf(spec, rev)) && waking(ns, name, rev));
  }

  /**
   * A woken min-0 revision reports Loading before Ready: its requests wait in Kafka meanwhile (the
   * worker holds them until the model is loaded), so they are routed, not refused.
   */
  private boolean waking(String ns, String name, String rev) {
    boolean loading = false;
    for (ComponentStatus s : statuses.values()) {
      if (matches(s, "InferenceService", ns, name, StatusComponents.PREDICTOR, rev)) {
        if (s.getState() == ModelState.FailedToLoad) {
          return false;
        }
        loading |= s.getState() == ModelState.Loading || s.getState() == ModelState.Pending;
      }
    }
    return loading;
  }

  private static PredictorSpec predictorOf(InferenceServiceSpec spec, String rev) {
    if (spec.getPredictor() != null && rev.equals(spec.getPredictor().getRevision())) {
      return spec.getPredictor();
    }
    PredictorSpec previous = spec.getPreviousPredictor();
    return previous != null && rev.equals(previous.getRevision()) ? previous : null;
  }

  /** Ready, or scaled to zero: waiting requests wake its worker. */
  private static boolean servable(ComponentStatus s) {
    return s.getState() == ModelState.Ready || ScaleToZeroRules.asleep(s);
  }

  /** Null when no status matches, else whether one of the matching statuses is Ready. */
  private Boolean anyReady(String kind, String ns, String name, String component, String rev) {
    Boolean result = null;
    for (ComponentStatus s : statuses.values()) {
      if (matches(s, kind, ns, name, component, rev)) {
        if (servable(s)) {
          return true;
        }
        result = false;
      }
    }
    return result;
  }

  private ModelMetadata metadataOf(String kind, String ns, String name, String rev) {
    for (Map.Entry<String, ComponentStatus> e : statuses.entrySet()) {
      ComponentStatus s = e.getValue();
      if (matches(s, kind, ns, name, null, rev) && servable(s)) {
        ModelMetadata m = metadata.get(e.getKey());
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }

  private static boolean matches(
      ComponentStatus s, String kind, String ns, String name, String component, String rev) {
    return kind.equals(s.getKind())
        && ns.equals(s.getNamespace())
        && name.equals(s.getName())
        && (component == null || component.equals(s.getComponent()))
        && (rev == null || rev.equals(s.getRevision()));
  }

  private static String requireVersion(InferenceServiceSpec spec, String name, String version) {
    if (!TrafficSplit.revisions(spec).contains(version)) {
      throw KaskadeException.notFound(
          "Model with name " + name + " and version " + version + " does not exist.");
    }
    return version;
  }

  private static long timeoutMs(InferenceServiceSpec spec) {
    Long seconds = spec.getPredictor().getTimeoutSeconds();
    return seconds == null || seconds <= 0 ? 0 : seconds * 1000;
  }

  private static InferenceServiceSpec isvcSpec(ResourceEvent r) {
    return r.getSpec() instanceof InferenceServiceSpec spec ? spec : null;
  }

  private static String isvcName(ResourceEvent r) {
    return r.getName();
  }

  private ResourceEvent find(String namespace, String name) {
    for (ModelKind kind : ModelKind.values()) {
      ResourceEvent r = resources.get(ResourceKeys.resource(kind.resourceKind(), namespace, name));
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private ResourceEvent require(String namespace, String name) {
    ResourceEvent r = find(namespace, name);
    if (r == null) {
      throw KaskadeException.notFound("Model with name " + name + " does not exist.");
    }
    return r;
  }

  private static KaskadeException notReady(String name) {
    return KaskadeException.unavailable("Model with name " + name + " is not ready.");
  }
}
