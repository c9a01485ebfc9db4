package dev.kaskade.loadtests.product;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown of one run: machine, command, settings, every step, the footprint, the goals. */
final class Report {
  private Report() {}

  static String markdown(
      RunResults results,
      List<Goals.Check> goals,
      String command,
      String machine,
      String loadAverage,
      List<String> settings,
      List<String> charts) {
    StringBuilder md = new StringBuilder("# Product benchmark: `kaskade up` as shipped\n\n");
    md.append("- machine: ").append(machine).append('\n');
    md.append("- load average (1/5/15 min): ").append(loadAverage).append('\n');
    md.append("- command: `").append(command).append("`\n");
    settings.forEach(s -> md.append("- ").append(s).append('\n'));
    md.append(
        "\n## Goals (issue #15)\n\n| goal | measured | limit | result |\n| --- | --- | --- | --- |\n");
    for (Goals.Check check : goals) {
      md.append(
          "| %s | %s | %s | %s |\n"
              .formatted(
                  check.goal(), check.measured(), check.limit(), check.pass() ? "PASS" : "FAIL"));
    }
    md.append(
            "\n## Steps\n\n| target | protocol | mode | load | p50 ms | p90 ms | p99 ms | max ms | completions/s | n | errors |\n")
        .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (StepResult s : results.steps()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %s | %s | %,.0f | %d | %d |%n",
              s.target(),
              Goals.label(s.protocol()),
              s.mode(),
              load(s),
              ms(s, s.p50()),
              ms(s, s.p90()),
              ms(s, s.p99()),
              ms(s, s.max()),
              s.perSecond(),
              s.count(),
              s.errors()));
    }
    md.append(
        "\n## Cold starts and the `kaskade up` process\n\n| measure | value |\n| --- | --- |\n");
    for (Map.Entry<String, Double> m :
        results.metrics().entrySet().stream()
            .filter(m -> !m.getKey().startsWith(PER_TOPIC) && !perStep(m.getKey()))
            .sorted(Map.Entry.comparingByKey())
            .toList()) {
      md.append("| %s | %s |\n".formatted(m.getKey(), metric(m.getKey(), m.getValue())));
    }
    recordsPerTopic(results, md);
    auditBeforeSteps(results, md);
    md.append('\n');
    charts.forEach(c -> md.append("![").append(c).append("](").append(c).append(")\n\n"));
    return md.toString();
  }

  private static final String PER_TOPIC = RecordsPerInference.TOTAL + ":";

  /**
   * Where {@code records_per_inference} came from: each topic's share, most first (the metric lines
   * keep {@link TopicGrowth}'s order).
   */
  private static void recordsPerTopic(RunResults results, StringBuilder md) {
    List<Map.Entry<String, Double>> topics =
        results.metrics().entrySet().stream()
            .filter(m -> m.getKey().startsWith(PER_TOPIC))
            .sorted(
                Map.Entry.<String, Double>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .toList();
    if (topics.isEmpty()) {
      return;
    }
    md.append(
        "\n## Records written to the broker per V2 inference\n\n| topic | per inference |\n"
            + "| --- | --- |\n");
    for (Map.Entry<String, Double> topic : topics) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f |%n",
              topic.getKey().substring(PER_TOPIC.length()),
              topic.getValue()));
    }
  }

  private static boolean perStep(String metric) {
    return metric.startsWith(RunResults.STEP_AUDIT_BACKLOG)
        || metric.startsWith(RunResults.STEP_AUDIT_SETTLE_S);
  }

  /**
   * The audit backlog each measured step against {@code kaskade up} found, and how long it took to
   * clear before the step began ({@link AuditSettle}), in the order the steps ran.
   */
  private static void auditBeforeSteps(RunResults results, StringBuilder md) {
    Map<String, Double> metrics = results.metrics();
    List<String> steps =
        metrics.keySet().stream()
            .filter(m -> m.startsWith(RunResults.STEP_AUDIT_BACKLOG))
            .map(m -> m.substring(RunResults.STEP_AUDIT_BACKLOG.length()))
            .toList();
    if (steps.isEmpty()) {
      return;
    }
    md.append(
        "\n## The audit's backlog before each step\n\nEach step against `kaskade up` begins once"
            + " the payload logger and the sink have caught up with the steps before.\n\n"
            + "| step (protocol/mode/load) | records behind | seconds to clear |\n"
            + "| --- | --- | --- |\n");
    for (String step : steps) {
      Double seconds = metrics.get(RunResults.STEP_AUDIT_SETTLE_S + step);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %s |%n",
              step,
              metrics.get(RunResults.STEP_AUDIT_BACKLOG + step),
              seconds == null ? "–" : String.format(Locale.ROOT, "%.1f", seconds)));
    }
  }

  private static String load(StepResult s) {
    return switch (s.mode()) {
      case "open" -> s.load() + " req/s";
      case "closed" ->
          s.load()
              + (s.protocol().equals("async")
                  ? " outstanding"
                  : s.target().equals("floor") ? " in flight" : " connections");
      case HeyLoad.MODE -> s.load() + " connections (hey)";
      default -> s.load() + " requests";
    };
  }

  private static String ms(StepResult s, double value) {
    return s.mode().equals("prefilled") ? "–" : String.format(Locale.ROOT, "%.2f", value);
  }

  static String metric(String name, double value) {
    if (name.endsWith("_bytes")) {
      return Goals.mib(value);
    }
    if (name.startsWith(RecordsPerInference.TOTAL)) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    if (name.endsWith("_ms")) {
      return String.format(Locale.ROOT, "%.1f s", value / 1000);
    }
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
