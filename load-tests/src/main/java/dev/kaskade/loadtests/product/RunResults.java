package dev.kaskade.loadtests.product;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run measured: the load steps of every target and single numbers (metrics) such as
 * the cold start times. Kept as lines of text ({@code step\t…} and {@code metric\tname\tvalue}) so
 * that separate JVMs can append to one file.
 */
public final class RunResults {
  public static final String READY_MS = "kaskade_ready_ms";
  public static final String BROKER_READY_MS = "broker_ready_ms";
  public static final String IDLE_CPU_PCT = "idle_cpu_pct_of_one_core";

  /** Idle CPU once the start-up's JIT settled, before any load: what the idle goal checks. */
  public static final String SETTLED_IDLE_CPU_PCT = "idle_cpu_pct_settled";

  /** The JIT compiler threads' part of {@link #SETTLED_IDLE_CPU_PCT}, included in it. */
  public static final String SETTLED_IDLE_JIT_PCT = "idle_cpu_pct_settled_jit";

  public static final String IDLE_THREADS = "idle_threads";
  public static final String IDLE_RSS = "idle_rss_bytes";
  public static final String LOADED_THREADS = "threads_after_load";
  public static final String LOADED_RSS = "rss_after_load_bytes";

  /** Records the payload logger and audit sink had not yet committed past when the load ended. */
  public static final String AUDIT_BACKLOG = "audit_backlog_records_after_load";

  /** Seconds from the end of the load until that backlog was gone (-1: not within 5 minutes). */
  public static final String AUDIT_CATCH_UP_S = "audit_catch_up_s";

  /**
   * Audit records that are lone halves (NO_RESPONSE, RESPONSE_ONLY) once the audit caught up: every
   * call of the run is answered, so each is a pair the payload logger split.
   */
  public static final String AUDIT_UNPAIRED = "audit_unpaired_records";

  /**
   * Prefix of the audit backlog found before a measured step against {@code kaskade up}, the step
   * named after it ({@link AuditSettle#stepKey}).
   */
  public static final String STEP_AUDIT_BACKLOG = "step_audit_backlog:";

  /** Prefix of the seconds that backlog took to clear before the step began (-1: not in time). */
  public static final String STEP_AUDIT_SETTLE_S = "step_audit_settle_s:";

  /** Every audit record of the run, counted with {@link #AUDIT_UNPAIRED}. */
  public static final String AUDIT_RECORDS = "audit_records";

  private final List<StepResult> steps = new ArrayList<>();
  private final Map<String, Double> metrics = new LinkedHashMap<>();

  public static RunResults parse(List<String> lines) {
    RunResults results = new RunResults();
    for (String line : lines) {
      if (line.startsWith("step\t")) {
        results.add(StepResult.parse(line));
      } else if (line.startsWith("metric\t")) {
        String[] f = line.split("\t");
        results.metric(f[1], Double.parseDouble(f[2]));
      } else if (!line.isBlank()) {
        throw new IllegalArgumentException("not a result line: " + line);
      }
    }
    return results;
  }

  public static RunResults read(Path file) throws IOException {
    return Files.exists(file) ? parse(Files.readAllLines(file)) : new RunResults();
  }

  public static String metricLine(String name, double value) {
    return String.format(Locale.ROOT, "metric\t%s\t%.4f", name, value);
  }

  public RunResults add(StepResult step) {
    steps.add(step);
    return this;
  }

  public RunResults metric(String name, double value) {
    metrics.put(name, value);
    return this;
  }

  public List<StepResult> steps() {
    return List.copyOf(steps);
  }

  public Optional<Double> metric(String name) {
    return Optional.ofNullable(metrics.get(name));
  }

  public Map<String, Double> metrics() {
    return java.util.Collections.unmodifiableMap(metrics); // in the order they were written
  }

  /** The step of this target, protocol and mode at this load, if measured. */
  public Optional<StepResult> step(String target, String protocol, String mode, int load) {
    return steps.stream()
        .filter(s -> s.target().equals(target) && s.protocol().equals(protocol))
        .filter(s -> s.mode().equals(mode) && s.load() == load)
        .findFirst();
  }

  /** Every closed-loop step of this target and protocol, whatever its connections. */
  public List<StepResult> closedSteps(String target, String protocol) {
    return steps.stream()
        .filter(s -> s.target().equals(target) && s.protocol().equals(protocol))
        .filter(s -> s.mode().equals("closed"))
        .toList();
  }

  /** The closed-loop step of this target and protocol that completed the most calls a second. */
  public Optional<StepResult> bestClosed(String target, String protocol) {
    return closedSteps(target, protocol).stream()
        .max(Comparator.comparingDouble(StepResult::perSecond));
  }

  /** The first step of this target, protocol and mode (any load). */
  public Optional<StepResult> step(String target, String protocol, String mode) {
    return steps.stream()
        .filter(s -> s.target().equals(target) && s.protocol().equals(protocol))
        .filter(s -> s.mode().equals(mode))
        .findFirst();
  }
}
