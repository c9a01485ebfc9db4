package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.workers.backend.InferenceFailure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits host input batches to fit the engine's kMAX batch and joins the outputs back. */
public final class HostBatches {
  private HostBatches() {}

  /**
   * Splits every input along dimension 0 into chunks of at most {@code maxBatch} rows (slices share
   * the original bytes). All inputs must have the same batch size.
   */
  public static List<Map<String, HostTensor>> split(Map<String, HostTensor> inputs, long maxBatch)
      throws InferenceFailure {
    long batch = batchOf(inputs);
    if (batch <= maxBatch) {
      return List.of(inputs);
    }
    List<Map<String, HostTensor>> chunks = new ArrayList<>();
    for (long start = 0; start < batch; start += maxBatch) {
      long rows = Math.min(maxBatch, batch - start);
      Map<String, HostTensor> chunk = new LinkedHashMap<>();
      for (Map.Entry<String, HostTensor> input : inputs.entrySet()) {
        HostTensor tensor = input.getValue();
        int rowBytes = Math.toIntExact(tensor.data().remaining() / batch);
        ByteBuffer slice =
            tensor
                .data()
                .slice(
                    tensor.data().position() + Math.toIntExact(start * rowBytes),
                    Math.toIntExact(rows * rowBytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        List<Long> shape = new ArrayList<>(tensor.shape());
        shape.set(0, rows);
        chunk.put(input.getKey(), new HostTensor(shape, slice));
      }
      chunks.add(chunk);
    }
    return chunks;
  }

  /** Concatenates chunk outputs along dimension 0. */
  public static HostTensor concat(List<HostTensor> parts) throws InferenceFailure {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    long rows = 0;
    int bytes = 0;
    List<Long> rest = null;
    for (HostTensor part : parts) {
      if (part.shape().isEmpty()) {
        throw new InferenceFailure("cannot concatenate scalar outputs of split batches");
      }
      List<Long> tail = part.shape().subList(1, part.shape().size());
      if (rest == null) {
        rest = tail;
      } else if (!rest.equals(tail)) {
        throw new InferenceFailure(
            "split batch outputs disagree in shape: " + rest + " vs " + tail);
      }
      rows += part.shape().get(0);
      bytes = Math.addExact(bytes, part.data().remaining());
    }
    ByteBuffer joined = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (HostTensor part : parts) {
      joined.put(part.data().duplicate());
    }
    joined.flip();
    List<Long> shape = new ArrayList<>();
    shape.add(rows);
    shape.addAll(rest);
    return new HostTensor(shape, joined);
  }

  /** The shared batch size (dimension 0) of the inputs. */
  public static long batchOf(Map<String, HostTensor> inputs) throws InferenceFailure {
    long batch = -1;
    for (Map.Entry<String, HostTensor> input : inputs.entrySet()) {
      List<Long> shape = input.getValue().shape();
      if (shape.isEmpty()) {
        throw new InferenceFailure("input '" + input.getKey() + "' has no batch dimension");
      }
      if (batch < 0) {
        batch = shape.get(0);
      } else if (batch != shape.get(0)) {
        throw new InferenceFailure(
            "inputs disagree on the batch size: " + batch + " vs " + shape.get(0));
      }
    }
    return batch;
  }
}
