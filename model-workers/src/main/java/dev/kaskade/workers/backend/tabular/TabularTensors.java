package dev.kaskade.workers.backend.tabular;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.TensorMetadata;
import java.util.List;
import java.util.Set;

/**
 * The tensor contract of the tabular backends (XGBoost, LightGBM, PMML), shaped like KServe's
 * xgbserver/lgbserver/pmmlserver answer the Open Inference Protocol: one FP32 input {@code [rows,
 * features]} (V1 {@code instances} rows arrive as it), and {@code output-0} holding what the
 * library's {@code predict} returns, {@code [rows]} for one value per row, {@code [rows, k]} else.
 * Pure.
 */
public final class TabularTensors {
  /** The input tensor name. V1 requests are mapped to it by the gateway. */
  public static final String INPUT = "input-0";

  /** KServe's V2 name for a Python model server's prediction. */
  public static final String OUTPUT = "output-0";

  private TabularTensors() {}

  /** The input: FP32 {@code [-1, features]}. */
  public static TensorMetadata input(int features) {
    return new TensorMetadata(INPUT, DataType.FP32, List.of(-1L, (long) features));
  }

  /** An output of {@code width} values per row: {@code [-1]} when 1, else {@code [-1, width]}. */
  public static TensorMetadata output(String name, DataType type, int width) {
    List<Long> shape = width == 1 ? List.of(-1L) : List.of(-1L, (long) width);
    return new TensorMetadata(name, type, shape);
  }

  /**
   * The input rows, row-major.
   *
   * @param count number of rows
   * @param features values per row
   * @param values {@code count * features} values
   */
  public record Rows(int count, int features, float[] values) {
    /** The values of row {@code row} widened to double. */
    public double[] row(int row) {
      double[] out = new double[features];
      for (int i = 0; i < features; i++) {
        out[i] = values[row * features + i];
      }
      return out;
    }
  }

  /** Reads the single validated input tensor. */
  public static Rows rows(List<Tensor> inputs, int features) throws InferenceFailure {
    if (inputs.size() != 1) {
      throw new InferenceFailure("expected one input tensor, got " + inputs.size());
    }
    Tensor input = inputs.get(0);
    float[] values = Tensors.toFloats(input);
    int count = input.getShape().get(0).intValue();
    if ((long) count * features != values.length) {
      throw new InferenceFailure(
          "input has " + values.length + " values, not " + count + " rows of " + features);
    }
    return new Rows(count, features, values);
  }

  /** An FP32 output of {@code rows} rows of {@code width} values (row-major). */
  public static Tensor floats(String name, int rows, int width, float[] values) {
    List<Long> shape = width == 1 ? List.of((long) rows) : List.of((long) rows, (long) width);
    return Tensors.ofFloats(name, shape, values);
  }

  /** Flattens {@code float[rows][width]} (as xgboost4j returns predictions) row-major. */
  public static float[] flatten(float[][] rows, int width) {
    float[] out = new float[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, out, r * width, width);
    }
    return out;
  }

  /**
   * Whether output {@code name} is asked for. A request that names no outputs gets {@code output-0}
   * only, as from KServe's servers; margins and raw scores are computed when asked.
   */
  public static boolean wanted(Set<String> requested, String name) {
    return requested.isEmpty() ? OUTPUT.equals(name) : requested.contains(name);
  }
}
