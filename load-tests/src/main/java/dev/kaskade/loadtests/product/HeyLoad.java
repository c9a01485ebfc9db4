package dev.kaskade.loadtests.product;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The V2 REST closed loop once more with {@code hey} (Go, the Debian package), a generator that
 * costs the shared cores far less per call than the load tool's JVM: the same step measured by two
 * generators shows how much of the figure is the generator's. Its steps have mode {@code hey}; the
 * goals are still checked on the load tool's {@code closed} steps.
 */
final class HeyLoad {
  /** The iris V2 body, without an id: the gateway gives every call its own. */
  static final String V2_BODY =
      "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
          + "\"data\":[5.1,3.5,1.4,0.2]}]}";

  static final String MODE = "hey";

  private static final Pattern TOTAL = Pattern.compile("Total:\\s+([0-9.]+) secs");
  private static final Pattern SLOWEST = Pattern.compile("Slowest:\\s+([0-9.]+) secs");
  private static final Pattern PERCENTILE = Pattern.compile("(\\d+)%+ in ([0-9.]+) secs");
  private static final Pattern STATUS = Pattern.compile("\\[(\\d{3})]\\s+(\\d+) responses");
  private static final Pattern ERRORS = Pattern.compile("\\[(\\d+)]\\s+\\S+.*");

  private HeyLoad() {}

  /** Whether {@code hey} is on the PATH. */
  static boolean available() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "hey"))) {
        return true;
      }
    }
    return false;
  }

  /** The command line for {@code connections} closed-loop connections for {@code duration}. */
  static List<String> command(String url, Path body, int connections, Duration duration) {
    return List.of(
        "hey",
        "-z",
        duration.toSeconds() + "s",
        "-c",
        Integer.toString(connections),
        "-m",
        "POST",
        "-T",
        "application/json",
        "-D",
        body.toString(),
        url);
  }

  /**
   * A step from hey's report: 2xx answers per second over its total time, its latency percentiles
   * (hey prints 10, 25, 50, 75, 90, 95, 99), any other status or client error counted as an error.
   * Empty when the report has no summary (hey did not run).
   */
  static Optional<StepResult> parse(String target, int connections, String report) {
    Optional<Double> total = number(TOTAL, report);
    if (total.isEmpty() || total.get() <= 0) {
      return Optional.empty();
    }
    long ok = 0;
    long errors = 0;
    Matcher status = STATUS.matcher(report);
    while (status.find()) {
      long n = Long.parseLong(status.group(2));
      if (status.group(1).startsWith("2")) {
        ok += n;
      } else {
        errors += n;
      }
    }
    int errorSection = report.indexOf("Error distribution:");
    if (errorSection >= 0) {
      Matcher e = ERRORS.matcher(report.substring(errorSection));
      while (e.find()) {
        errors += Long.parseLong(e.group(1));
      }
    }
    return Optional.of(
        new StepResult(
            target,
            "v2",
            MODE,
            connections,
            percentile(report, 50),
            percentile(report, 90),
            percentile(report, 99),
            number(SLOWEST, report).orElse(Double.NaN) * 1000,
            ok / total.get(),
            ok,
            errors));
  }

  private static double percentile(String report, int p) {
    Matcher m = PERCENTILE.matcher(report);
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) == p) {
        return Double.parseDouble(m.group(2)) * 1000;
      }
    }
    return Double.NaN;
  }

  private static Optional<Double> number(Pattern pattern, String report) {
    Matcher m = pattern.matcher(report);
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }
}
