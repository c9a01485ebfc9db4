package dev.kaskade.workers.worker;

import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.cache.ModelCache;
import dev.kaskade.workers.status.MetadataJson;
import dev.kaskade.workers.status.StatusPublisher.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of one revision: its own predictor model, and for a multi-model revision the
 * TrainedModels it hosts in an LRU {@link ModelCache}, loaded on first request. Loads run on
 * virtual threads and report back as commands that the consumer loop runs, so all state below is
 * touched by that one thread (except the volatile fields).
 */
final class ModelSlots implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSlots.class);

  private sealed interface Slot {}

  private record Loading() implements Slot {}

  private record Ready(LoadedModel model) implements Slot {}

  private record Failed(String message) implements Slot {}

  private record Absent() implements Slot {}

  private final WorkerEnv env;
  private final ServedRevision served;
  private final boolean multiModel;
  private final ModelCache<String> cache;
  private final Map<String, TrainedModelSpec> loadedSpecs = new HashMap<>();
  private final Set<String> loading = new HashSet<>();
  private final Map<String, String> failures = new HashMap<>();
  private final Map<String, List<Pending>> waiting = new HashMap<>();
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final List<Pending> released = new ArrayList<>();
  private volatile Slot primary = new Loading();
  private volatile Map<String, TrainedModelSpec> trainedModels;
  private volatile boolean closed;
  private final Consumer<LoadedModel> primaryLoaded;
  private boolean reportedDown;

  ModelSlots(WorkerEnv env, ServedRevision served, Map<String, TrainedModelSpec> trainedModels) {
    this(env, served, trainedModels, model -> {});
  }

  /**
   * @param primaryLoaded told (on the loop thread) when the InferenceService's own model has
   *     loaded, before its held requests are released
   */
  ModelSlots(
      WorkerEnv env,
      ServedRevision served,
      Map<String, TrainedModelSpec> trainedModels,
      Consumer<LoadedModel> primaryLoaded) {
    this.env = env;
    this.primaryLoaded = primaryLoaded;
    this.served = served;
    this.multiModel = served.predictor().getMultiModel();
    this.trainedModels = Map.copyOf(trainedModels);
    this.cache =
        new ModelCache<>(
            env.memoryBudgetBytes(),
            (name, model) -> {
              TrainedModelSpec spec = loadedSpecs.remove(name);
              if (!closed && spec != null && spec.equals(this.trainedModels.get(name))) {
                env.status().evicted(trainedSubject(name)); // still wanted: loads on next request
              } else {
                env.status().unloaded(trainedSubject(name), "Unloaded");
              }
            });
  }

  Subject primarySubject() {
    return new Subject(
        ControlState.INFERENCE_SERVICE,
        served.namespace(),
        served.inferenceService(),
        served.revision());
  }

  private Subject trainedSubject(String name) {
    return new Subject(ControlState.TRAINED_MODEL, served.namespace(), name, served.revision());
  }

  /** Whether requests should wait in Kafka (partitions paused): a single model still loading. */
  boolean holdRequests() {
    return !multiModel && primary instanceof Loading;
  }

  void startPrimary() {
    PredictorSpec predictor = served.predictor();
    if (multiModel && (predictor.getStorageUri() == null || predictor.getStorageUri().isBlank())) {
      primary = new Absent();
      env.status().ready(primarySubject(), null);
      return;
    }
    // Without a storage_uri the loader decides: a runtime bridge needs none, a backend fails.
    String name = served.inferenceService();
    load(name, predictor.getStorageUri(), predictor.getModelFormat(), primarySubject());
  }

  private void load(String name, String storageUri, String format, Subject subject) {
    env.status().loading(subject);
    ModelLoad request =
        new ModelLoad(
            name,
            served.revision(),
            storageUri,
            format,
            served.predictor().getParameters(),
            served.annotations(),
            served.predictor().getProtocolVersion());
    Thread.ofVirtual()
        .name("load-" + name + "-" + served.revision())
        .start(
            () -> {
              long start = System.nanoTime();
              try {
                LoadedModel model = env.loader().load(request);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                env.metrics().load(name, served.revision(), took, true);
                commands.add(() -> loaded(name, subject, model));
              } catch (Exception e) {
                env.metrics()
                    .load(
                        name,
                        served.revision(),
                        Duration.ofNanos(System.nanoTime() - start),
                        false);
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.warn("cannot load {} revision {}: {}", name, served.revision(), message);
                commands.add(() -> loadFailed(name, subject, message));
              }
              if (closed) {
                runCommands(); // the loop is gone: release what was just loaded
              }
            });
  }

  private void loaded(String name, Subject subject, LoadedModel model) {
    if (closed) {
      model.close();
      return;
    }
    boolean isPrimary = subject.equals(primarySubject());
    if (isPrimary) {
      primaryLoaded.accept(model);
      primary = new Ready(model);
    } else {
      loading.remove(name);
      TrainedModelSpec spec = trainedModels.get(name);
      if (spec == null) {
        model.close(); // deleted while loading
        release(name);
        return;
      }
      cache.put(name, model, chargedBytes(spec.getMemoryBytes(), model.memoryBytes()));
      loadedSpecs.put(name, spec);
    }
    env.status().ready(subject, MetadataJson.of(name, served.revision(), model.metadata()));
    release(name);
  }

  /**
   * What a TrainedModel counts against the memory budget: the larger of its declared size and the
   * loaded model's own estimate, so a small declaration cannot bypass LRU eviction (review M10).
   */
  static long chargedBytes(long declaredBytes, long estimatedBytes) {
    return Math.max(Math.max(declaredBytes, estimatedBytes), 0);
  }

  private void loadFailed(String name, Subject subject, String message) {
    if (subject.equals(primarySubject())) {
      primary = new Failed(message);
    } else {
      loading.remove(name);
      failures.put(name, message);
    }
    env.status().failed(subject, message);
    release(name);
  }

  /**
   * Reports a loaded model whose model server went away (runtime bridge) as not ready, and as ready
   * again when it is back; {@link LoadedModel#ready()} never blocks, so this runs every loop step.
   */
  private void watchHealth() {
    if (closed || !(primary instanceof Ready r)) {
      return;
    }
    boolean down = !r.model().ready();
    if (down == reportedDown) {
      return;
    }
    reportedDown = down;
    if (down) {
      LOG.warn("model server of {} is not ready", served.key());
      env.status()
          .notReady(
              primarySubject(),
              "the model server of revision "
                  + served.revision()
                  + " does not answer its health check");
    } else {
      LOG.info("model server of {} is ready again", served.key());
      env.status()
          .ready(
              primarySubject(),
              MetadataJson.of(served.inferenceService(), served.revision(), r.model().metadata()));
    }
  }

  private void release(String name) {
    List<Pending> held = waiting.remove(name);
    if (held != null) {
      released.addAll(held);
    }
  }

  /** Runs load results and control changes; returns held requests to route again. */
  synchronized List<Pending> runCommands() {
    Runnable command;
    while ((command = commands.poll()) != null) {
      command.run();
    }
    watchHealth();
    List<Pending> out = new ArrayList<>(released);
    released.clear();
    return out;
  }

  /**
   * The model to run this request on; null when the request is held until its model loads.
   *
   * @throws KaskadeException NOT_FOUND for an unknown model, UNAVAILABLE when it failed to load
   */
  LoadedModel modelFor(Pending pending) {
    String name = pending.caller().model();
    if (name.equals(served.inferenceService())) {
      return switch (primary) {
        case Ready r -> r.model();
        case Failed f ->
            throw new KaskadeException(
                Reason.UNAVAILABLE,
                "model "
                    + name
                    + " revision "
                    + served.revision()
                    + " failed to load: "
                    + f.message());
        case Absent a ->
            throw KaskadeException.notFound(
                "InferenceService " + name + " has no model of its own; name a TrainedModel");
        case Loading l -> hold(name, pending);
      };
    }
    TrainedModelSpec spec = multiModel ? trainedModels.get(name) : null;
    if (spec == null) {
      throw KaskadeException.notFound(
          "model "
              + name
              + " is not served by InferenceService "
              + served.namespace()
              + "/"
              + served.inferenceService());
    }
    LoadedModel cached = cache.get(name).orElse(null);
    if (cached != null) {
      return cached;
    }
    String failure = failures.get(name);
    if (failure != null) {
      throw new KaskadeException(
          Reason.UNAVAILABLE, "model " + name + " failed to load: " + failure);
    }
    if (loading.add(name)) {
      String format =
          spec.getFramework().isBlank() ? served.predictor().getModelFormat() : spec.getFramework();
      load(name, spec.getStorageUri(), format, trainedSubject(name));
    }
    return hold(name, pending);
  }

  private LoadedModel hold(String name, Pending pending) {
    waiting.computeIfAbsent(name, n -> new ArrayList<>()).add(pending);
    return null;
  }

  /** A new TrainedModel set: unload deleted or changed ones (from the control thread). */
  void trainedModelsChanged(Map<String, TrainedModelSpec> models) {
    trainedModels = Map.copyOf(models);
    commands.add(
        () -> {
          for (String name : cache.keys()) {
            if (!Objects.equals(models.get(name), loadedSpecs.get(name))) {
              cache.remove(name);
            }
          }
          failures
              .keySet()
              .removeIf(name -> !Objects.equals(models.get(name), loadedSpecs.get(name)));
        });
  }

  /** Drops held requests of revoked partitions (their new owner re-reads them). */
  void forget(Collection<TopicPartition> partitions) {
    waiting.values().forEach(list -> list.removeIf(p -> partitions.contains(p.partition())));
    released.removeIf(p -> partitions.contains(p.partition()));
  }

  @Override
  public void close() {
    close(false);
  }

  /**
   * Unloads every model; {@code scaledToZero}: the revision stays served without a worker (its
   * status says {@link dev.kaskade.workers.status.StatusPublisher#scaledToZero}, keeping the
   * model's metadata).
   */
  synchronized void close(boolean scaledToZero) {
    closed = true;
    runCommands();
    if (scaledToZero && primary instanceof Ready r) {
      String metadata =
          MetadataJson.of(served.inferenceService(), served.revision(), r.model().metadata());
      r.model().close();
      env.status().scaledToZero(primarySubject(), metadata);
    } else if (scaledToZero && !(primary instanceof Failed)) {
      // Stopped for idleness before its model was loaded (a slow start): still asleep, not
      // unloaded, or the gateway would refuse the very requests whose lag wakes it again.
      env.status().scaledToZero(primarySubject(), null);
    } else if (primary instanceof Ready r) {
      r.model().close();
      env.status().unloaded(primarySubject(), "Unloaded");
    } else if (!(primary instanceof Failed)) {
      env.status().unloaded(primarySubject(), "Unloaded");
    }
    cache.close();
  }
}
