package dev.kaskade.loadtests.product;

import dev.kaskade.loadtests.harness.LatencyRecorder;
import java.util.Locale;

/**
 * One measured load step: {@code target} (kaskade, floor, direct, worker), {@code protocol} (v1,
 * v2, v2-binary, grpc, async, kafka), {@code mode} (open: {@code load} = req/s offered; closed:
 * {@code load} = connections or outstanding requests), latency percentiles in ms, achieved
 * completions per second and errors. Written as one tab-separated line so that the load tool's JVM
 * can hand it to the orchestrator.
 */
public record StepResult(
    String target,
    String protocol,
    String mode,
    int load,
    double p50,
    double p90,
    double p99,
    double max,
    double perSecond,
    long count,
    long errors) {

  public static StepResult of(
      String target,
      String protocol,
      String mode,
      int load,
      LatencyRecorder latency,
      double seconds) {
    return new StepResult(
        target,
        protocol,
        mode,
        load,
        latency.millis(50),
        latency.millis(90),
        latency.millis(99),
        latency.maxMillis(),
        latency.count() / seconds,
        latency.count(),
        latency.errors());
  }

  public boolean open() {
    return mode.equals("open");
  }

  public String toLine() {
    return String.join(
        "\t",
        "step",
        target,
        protocol,
        mode,
        Integer.toString(load),
        num(p50),
        num(p90),
        num(p99),
        num(max),
        num(perSecond),
        Long.toString(count),
        Long.toString(errors));
  }

  /** Parses {@link #toLine}'s output. */
  public static StepResult parse(String line) {
    String[] f = line.split("\t");
    if (f.length != 12 || !f[0].equals("step")) {
      throw new IllegalArgumentException("not a step line: " + line);
    }
    return new StepResult(
        f[1],
        f[2],
        f[3],
        Integer.parseInt(f[4]),
        Double.parseDouble(f[5]),
        Double.parseDouble(f[6]),
        Double.parseDouble(f[7]),
        Double.parseDouble(f[8]),
        Double.parseDouble(f[9]),
        Long.parseLong(f[10]),
        Long.parseLong(f[11]));
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
