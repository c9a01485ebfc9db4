package dev.kaskade.schemas.monitor;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;
import java.util.Optional;

/**
 * The numeric feature rows of a request's first input tensor: {@code shape[0]} rows of the
 * remaining elements each (a scalar or 1-D tensor with an empty shape is one row).
 */
public final class FeatureRows {
  private FeatureRows() {}

  /** Empty when there is no input, it is BYTES, holds a non-finite value or does not split. */
  public static Optional<double[][]> numeric(List<Tensor> inputs) {
    if (inputs.isEmpty() || inputs.get(0).getDatatype() == DataType.BYTES) {
      return Optional.empty();
    }
    Tensor tensor = inputs.get(0);
    double[] flat;
    try {
      flat = Tensors.toDoubles(tensor);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    List<Long> shape = tensor.getShape();
    int rows = shape.isEmpty() ? 1 : (int) (long) shape.get(0);
    if (rows <= 0 || flat.length == 0 || flat.length % rows != 0) {
      return Optional.empty();
    }
    int cols = flat.length / rows;
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        double v = flat[r * cols + j];
        if (!Double.isFinite(v)) {
          return Optional.empty();
        }
        out[r][j] = v;
      }
    }
    return Optional.of(out);
  }
}
