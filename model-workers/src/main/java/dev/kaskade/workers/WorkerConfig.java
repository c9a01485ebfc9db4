package dev.kaskade.workers;

import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.workers.worker.ScaleToZero;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Settings of the model worker, read once from {@link KaskadeContext#settings()}.
 *
 * @param instanceId {@value #ID}: this instance in status keys and client ids (default random)
 * @param memoryBudgetBytes {@value #MEMORY_BUDGET}: bytes of TrainedModels one multi-model revision
 *     keeps loaded (default half the max heap)
 * @param modelsDir {@value #MODELS_DIR}: where the storage initializer puts downloaded models
 *     (default {@code <dataDir>/models})
 * @param inferenceServices {@value #INFERENCE_SERVICES}: comma-separated {@code namespace/name}
 *     this instance serves; empty = all (standalone). A cluster Deployment names its own.
 * @param upstreamUrl {@value #UPSTREAM_URL}: the model server every model of this instance is
 *     bridged to (the runtime container of a cluster pod, {@code http://localhost:8080}); null =
 *     only models with the annotation {@code kaskade.dev/upstream-url} are bridged
 * @param scaleToZero {@value #SCALE_TO_ZERO_IDLE_MS} (60000; 0 = never) and {@value
 *     #SCALE_TO_ZERO_POLL_MS} (250): a {@code minReplicas: 0} revision idle this long stops, and
 *     starts again when requests wait in its topic (checked this often); null = never stops
 */
public record WorkerConfig(
    String instanceId,
    long memoryBudgetBytes,
    Path modelsDir,
    Set<String> inferenceServices,
    String upstreamUrl,
    ScaleToZero.Settings scaleToZero) {
  public static final String ID = "worker.id";
  public static final String MEMORY_BUDGET = "worker.memory.budget.bytes";
  public static final String MODELS_DIR = "worker.models.dir";
  public static final String INFERENCE_SERVICES = "worker.inference-services";
  public static final String UPSTREAM_URL = "worker.upstream.url";
  public static final String SCALE_TO_ZERO_IDLE_MS = "worker.scale.to.zero.idle.ms";

  /**
   * How often a worker commits the offsets of what it answered (default 100): a worker killed
   * answers again at most this much, a clean stop commits everything.
   */
  public static final String COMMIT_INTERVAL_MS = "worker.commit.interval.ms";

  public static final String SCALE_TO_ZERO_POLL_MS = "worker.scale.to.zero.poll.ms";

  /** Later deltas of a streamed generation are merged into one event per this many ms (15). */
  public static final String GENERATION_COALESCE_MS = "worker.generation.coalesce.ms";

  /** max_tokens of a generation request that sets none (256). */
  public static final String GENERATION_DEFAULT_MAX_TOKENS = "worker.generation.default.max.tokens";

  /** The most tokens a generation request may ask for; larger max_tokens are capped (4096). */
  public static final String GENERATION_MAX_TOKENS = "worker.generation.max.tokens";

  public static WorkerConfig from(KaskadeContext ctx) {
    String id =
        ctx.setting(
            ID, "worker-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    String budget = ctx.setting(MEMORY_BUDGET, Long.toString(Runtime.getRuntime().maxMemory() / 2));
    long budgetBytes;
    try {
      budgetBytes = Long.parseLong(budget.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting " + MEMORY_BUDGET + " must be a number of bytes, got '" + budget + "'");
    }
    Path models = Path.of(ctx.setting(MODELS_DIR, ctx.dataDir().resolve("models").toString()));
    Set<String> services =
        Arrays.stream(ctx.setting(INFERENCE_SERVICES, "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    String upstream = ctx.setting(UPSTREAM_URL, "");
    return new WorkerConfig(
        id,
        budgetBytes,
        models,
        services,
        upstream.isBlank() ? null : upstream.trim(),
        scaleToZero(ctx));
  }

  private static ScaleToZero.Settings scaleToZero(KaskadeContext ctx) {
    long idle = millis(ctx, SCALE_TO_ZERO_IDLE_MS, "60000");
    long poll = millis(ctx, SCALE_TO_ZERO_POLL_MS, "250");
    if (poll <= 0) {
      throw new IllegalArgumentException("setting " + SCALE_TO_ZERO_POLL_MS + " must be > 0");
    }
    return idle == 0 ? null : new ScaleToZero.Settings(idle, poll);
  }

  private static long millis(KaskadeContext ctx, String key, String fallback) {
    String value = ctx.setting(key, fallback);
    try {
      long ms = Long.parseLong(value.trim());
      if (ms < 0) {
        throw new NumberFormatException();
      }
      return ms;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting " + key + " must be a number of milliseconds >= 0, got '" + value + "'");
    }
  }

  /** Whether this instance serves the InferenceService. */
  public boolean serves(String namespace, String name) {
    return inferenceServices.isEmpty() || inferenceServices.contains(namespace + "/" + name);
  }
}
