package dev.kaskade.workers.worker;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.schemas.kafka.ResourceKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the control topic says right now: the latest ResourceEvent per key (tombstones remove).
 * Derives the predictor revisions that must be served and the TrainedModels of each
 * InferenceService. Written by one follower thread, read by others.
 */
public final class ControlState {
  public static final String INFERENCE_SERVICE = "InferenceService";
  public static final String TRAINED_MODEL = "TrainedModel";
  public static final String LOCAL_MODEL_CACHE = "LocalModelCache";

  private final Map<String, ResourceEvent> resources = new ConcurrentHashMap<>();

  /** Applies one control record; a null event is a delete. */
  public void apply(String key, ResourceEvent event) {
    if (event == null) {
      resources.remove(key);
    } else {
      resources.put(key, event);
    }
  }

  /** The LocalModelCache events by name (cluster-scoped: key namespace is empty). */
  public Map<String, ResourceEvent> localModelCaches() {
    Map<String, ResourceEvent> caches = new LinkedHashMap<>();
    resources.values().stream()
        .filter(e -> LOCAL_MODEL_CACHE.equals(e.getKind()))
        .forEach(e -> caches.put(e.getName(), e));
    return caches;
  }

  public Optional<InferenceServiceSpec> inferenceService(String namespace, String name) {
    ResourceEvent event = resources.get(ResourceKeys.resource(INFERENCE_SERVICE, namespace, name));
    if (event != null && event.getSpec() instanceof InferenceServiceSpec spec) {
      return Optional.of(spec);
    }
    return Optional.empty();
  }

  /**
   * Every live predictor revision by {@link ServedRevision#key()}: the latest one, plus the
   * previous one while a canary sends it less than 100 %.
   */
  public Map<String, ServedRevision> revisions() {
    Map<String, ServedRevision> revisions = new LinkedHashMap<>();
    for (ResourceEvent event : resources.values()) {
      if (!(event.getSpec() instanceof InferenceServiceSpec spec)) {
        continue;
      }
      add(
          revisions,
          new ServedRevision(
              event.getNamespace(),
              event.getName(),
              spec.getPredictor(),
              event.getAnnotations(),
              spec.getMonitorJson()));
      // a kept previous revision serves: during a canary, and while a promotion waits for the
      // new revision to be ready
      if (spec.getPreviousPredictor() != null) {
        add(
            revisions,
            new ServedRevision(
                event.getNamespace(),
                event.getName(),
                spec.getPreviousPredictor(),
                event.getAnnotations(),
                spec.getMonitorJson()));
      }
    }
    return revisions;
  }

  /** TrainedModels whose parent is this InferenceService, by name. */
  public Map<String, TrainedModelSpec> trainedModels(String namespace, String inferenceService) {
    Map<String, TrainedModelSpec> models = new LinkedHashMap<>();
    for (ResourceEvent event : resources.values()) {
      if (event.getSpec() instanceof TrainedModelSpec spec
          && event.getNamespace().equals(namespace)
          && spec.getInferenceService().equals(inferenceService)) {
        models.put(event.getName(), spec);
      }
    }
    return models;
  }

  private static void add(Map<String, ServedRevision> revisions, ServedRevision revision) {
    revisions.put(revision.key(), revision);
  }
}
