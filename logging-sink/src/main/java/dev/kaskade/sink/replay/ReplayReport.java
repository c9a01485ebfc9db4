package dev.kaskade.sink.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a replay found.
 *
 * @param target MODEL[:REVISION] replayed against
 * @param tolerance absolute tolerance used
 * @param total requests replayed
 * @param identical answers equal to the recorded ones
 * @param withinTolerance answers within the tolerance
 * @param different answers outside it (or shaped differently)
 * @param errors error answers and timeouts
 * @param latencyMs p50, p90, p99 and max of send → response, milliseconds
 * @param mostDifferent the pairs with the largest difference, largest first
 */
public record ReplayReport(
    String target,
    double tolerance,
    long total,
    long identical,
    long withinTolerance,
    long different,
    long errors,
    Latency latencyMs,
    List<Difference> mostDifferent) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Latency percentiles in milliseconds. */
  public record Latency(double p50, double p90, double p99, double max) {}

  /** One differing pair. */
  public record Difference(String originalId, String replayId, double maxAbsDiff, String detail) {}

  public String summary() {
    return String.format(
        "replayed %d request(s) against %s: %d identical, %d within tolerance %s, %d different,"
            + " %d error(s); latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%s",
        total,
        target,
        identical,
        withinTolerance,
        tolerance,
        different,
        errors,
        latencyMs.p50(),
        latencyMs.p90(),
        latencyMs.p99(),
        latencyMs.max(),
        mostDifferent.isEmpty()
            ? ""
            : "; most different: "
                + mostDifferent.get(0).originalId()
                + " (max abs diff "
                + mostDifferent.get(0).maxAbsDiff()
                + ")");
  }

  public ObjectNode toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("target", target);
    n.put("tolerance", tolerance);
    n.put("total", total);
    n.put("identical", identical);
    n.put("within_tolerance", withinTolerance);
    n.put("different", different);
    n.put("errors", errors);
    ObjectNode latency = n.putObject("latency_ms");
    latency.put("p50", latencyMs.p50());
    latency.put("p90", latencyMs.p90());
    latency.put("p99", latencyMs.p99());
    latency.put("max", latencyMs.max());
    ArrayNode most = n.putArray("most_different");
    for (Difference d : mostDifferent) {
      ObjectNode o = most.addObject();
      o.put("id", d.originalId());
      o.put("replay_id", d.replayId());
      if (Double.isFinite(d.maxAbsDiff())) {
        o.put("max_abs_diff", d.maxAbsDiff());
      } else {
        o.put("max_abs_diff", String.valueOf(d.maxAbsDiff()));
      }
      o.put("detail", d.detail());
    }
    n.put("summary", summary());
    return n;
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toJson().toPrettyString());
  }
}
