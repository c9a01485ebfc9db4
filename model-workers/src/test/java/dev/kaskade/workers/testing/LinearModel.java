package dev.kaskade.workers.testing;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A deterministic stand-in for the iris model: input {@code input} FP32 [-1,4], output {@code
 * output} FP32 [-1,3] with {@code out[j] = sum_i x[i] * (i + 1) * (j + 1)}. A negative feature
 * makes the whole execution fail (to test isolation of a bad request inside a batch); {@link
 * #blockNextCalls()} makes executions hang until interrupted (a worker killed mid-batch).
 */
public final class LinearModel implements LoadedModel {
  public static final ModelMetadata METADATA =
      new ModelMetadata(
          "linear",
          "test_linear",
          List.of(new TensorMetadata("input", DataType.FP32, List.of(-1L, 4L))),
          List.of(new TensorMetadata("output", DataType.FP32, List.of(-1L, 3L))));

  private final long memoryBytes;
  private final List<Integer> executedRows = new CopyOnWriteArrayList<>();
  private final AtomicBoolean block = new AtomicBoolean();
  private final CountDownLatch blocked = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();

  public LinearModel(long memoryBytes) {
    this.memoryBytes = memoryBytes;
  }

  public LinearModel() {
    this(1000);
  }

  /** The expected output row for one input row. */
  public static float[] expected(float[] row) {
    float[] out = new float[3];
    for (int j = 0; j < 3; j++) {
      for (int i = 0; i < 4; i++) {
        out[j] += row[i] * (i + 1) * (j + 1);
      }
    }
    return out;
  }

  public void blockNextCalls() {
    block.set(true);
  }

  /** Counted down when an execution is hanging. */
  public CountDownLatch blocked() {
    return blocked;
  }

  /** Rows of each execution, in order. */
  public List<Integer> executedRows() {
    return executedRows;
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public ModelMetadata metadata() {
    return METADATA;
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs)
      throws InferenceFailure {
    if (block.get()) {
      blocked.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InferenceFailure("interrupted");
      }
    }
    Tensor input = inputs.get(0);
    float[] x = Tensors.toFloats(input);
    int rows = (int) (long) input.getShape().get(0);
    executedRows.add(rows);
    float[] out = new float[rows * 3];
    for (int r = 0; r < rows; r++) {
      float[] row = new float[4];
      System.arraycopy(x, r * 4, row, 0, 4);
      for (float v : row) {
        if (v < 0) {
          throw new InferenceFailure("negative feature " + v);
        }
      }
      System.arraycopy(expected(row), 0, out, r * 3, 3);
    }
    return List.of(Tensors.ofFloats("output", List.of((long) rows, 3L), out));
  }

  @Override
  public long memoryBytes() {
    return memoryBytes;
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
