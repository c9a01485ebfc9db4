package dev.kaskade.sink.replay;

import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;
import java.util.Objects;

/** Compares a replayed response with the recorded one, output by output (pure). */
public final class OutputComparison {
  /** How a replayed answer relates to the recorded one. */
  public enum Verdict {
    IDENTICAL,
    WITHIN_TOLERANCE,
    DIFFERENT,
    ERROR
  }

  /**
   * The comparison of one pair.
   *
   * @param verdict the verdict
   * @param maxAbsDiff the largest absolute element difference (infinite when shapes, names or
   *     non-numeric values differ)
   * @param detail why, for the report
   */
  public record Result(Verdict verdict, double maxAbsDiff, String detail) {}

  private OutputComparison() {}

  public static Result compare(
      InferenceResponse recorded, InferenceResponse replayed, double tolerance) {
    if (replayed == null) {
      return new Result(Verdict.ERROR, Double.NaN, "no response before the timeout");
    }
    if (replayed.getError() != null) {
      return new Result(
          Verdict.ERROR,
          Double.NaN,
          replayed.getError().getCode() + ": " + replayed.getError().getMessage());
    }
    if (recorded == null || recorded.getError() != null) {
      return new Result(
          Verdict.DIFFERENT, Double.POSITIVE_INFINITY, "recorded answer was an error");
    }
    if (recorded.getGeneration() != null || replayed.getGeneration() != null) {
      return GenerationComparison.compare(recorded.getGeneration(), replayed.getGeneration());
    }
    if (!Objects.equals(recorded.getJsonPayload(), replayed.getJsonPayload())) {
      return new Result(Verdict.DIFFERENT, Double.POSITIVE_INFINITY, "json_payload differs");
    }
    double max = 0;
    for (Tensor expected : recorded.getOutputs()) {
      Tensor actual = find(replayed.getOutputs(), expected.getName());
      if (actual == null) {
        return new Result(
            Verdict.DIFFERENT,
            Double.POSITIVE_INFINITY,
            "output " + expected.getName() + " missing");
      }
      if (!expected.getShape().equals(actual.getShape())) {
        return new Result(
            Verdict.DIFFERENT,
            Double.POSITIVE_INFINITY,
            "output "
                + expected.getName()
                + " shape "
                + actual.getShape()
                + " != "
                + expected.getShape());
      }
      max = Math.max(max, diff(expected, actual));
    }
    if (max == 0) {
      return new Result(Verdict.IDENTICAL, 0, "");
    }
    return max <= tolerance
        ? new Result(Verdict.WITHIN_TOLERANCE, max, "")
        : new Result(Verdict.DIFFERENT, max, "max abs diff " + max);
  }

  private static double diff(Tensor expected, Tensor actual) {
    if (expected.getDatatype() == DataType.BYTES || actual.getDatatype() == DataType.BYTES) {
      return expected.getData().equals(actual.getData()) ? 0 : Double.POSITIVE_INFINITY;
    }
    double[] a = Tensors.toDoubles(expected);
    double[] b = Tensors.toDoubles(actual);
    if (a.length != b.length) {
      return Double.POSITIVE_INFINITY;
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs(a[i] - b[i]);
      if (Double.isNaN(d)) {
        d = Double.isNaN(a[i]) && Double.isNaN(b[i]) ? 0 : Double.POSITIVE_INFINITY;
      }
      max = Math.max(max, d);
    }
    return max;
  }

  private static Tensor find(List<Tensor> tensors, String name) {
    for (Tensor t : tensors) {
      if (t.getName().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
