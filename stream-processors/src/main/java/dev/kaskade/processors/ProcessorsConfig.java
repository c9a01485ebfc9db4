package dev.kaskade.processors;

import dev.kaskade.schemas.runtime.KaskadeContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Settings of the stream processors, read once from the context's settings map.
 *
 * @param stateDir {@code processors.state.dir}: Kafka Streams state (default {@code
 *     <dataDir>/streams})
 * @param enabled {@code processors.enabled}: comma list of transformer, monitor, explainer, graph
 *     (default all)
 * @param instanceId {@code processors.instance.id}: names this instance's reply topic (default
 *     random)
 * @param graphTimeout {@code processors.graph.timeout.ms}: graph deadline when the graph sets none
 *     (default 60000, KServe's router server timeout)
 * @param exactlyOnce {@code processors.exactly.once}: exactly-once for the stateful monitor
 *     topology (default true)
 * @param onDemand {@code processors.streams.on.demand}: start the transformer and monitor Streams
 *     applications only once an InferenceService needs them (default true; false starts them with
 *     the component)
 */
public record ProcessorsConfig(
    Path stateDir,
    Set<String> enabled,
    String instanceId,
    Duration graphTimeout,
    boolean exactlyOnce,
    boolean onDemand) {
  public static final String STATE_DIR = "processors.state.dir";
  public static final String ENABLED = "processors.enabled";
  public static final String INSTANCE_ID = "processors.instance.id";
  public static final String GRAPH_TIMEOUT_MS = "processors.graph.timeout.ms";
  public static final String EXACTLY_ONCE = "processors.exactly.once";
  public static final String ON_DEMAND = "processors.streams.on.demand";
  public static final Set<String> ALL = Set.of("transformer", "monitor", "explainer", "graph");

  public static ProcessorsConfig from(KaskadeContext ctx) {
    Set<String> enabled =
        Arrays.stream(ctx.setting(ENABLED, String.join(",", ALL)).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    for (String name : enabled) {
      if (!ALL.contains(name)) {
        throw new IllegalArgumentException(
            "setting " + ENABLED + " has unknown processor '" + name + "' (known: " + ALL + ")");
      }
    }
    return new ProcessorsConfig(
        Path.of(ctx.setting(STATE_DIR, ctx.dataDir().resolve("streams").toString())),
        enabled,
        ctx.setting(INSTANCE_ID, UUID.randomUUID().toString().substring(0, 8)),
        Duration.ofMillis(ctx.intSetting(GRAPH_TIMEOUT_MS, 60_000)),
        Boolean.parseBoolean(ctx.setting(EXACTLY_ONCE, "true")),
        Boolean.parseBoolean(ctx.setting(ON_DEMAND, "true")));
  }
}
