package dev.kaskade.workers.batch;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.schemas.tensor.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Pure tensor arithmetic of dynamic batching: which requests may share an execution, how their
 * inputs concatenate along the batch (first) dimension, and how outputs split back by rows.
 */
public final class TensorBatching {
  private TensorBatching() {}

  /**
   * Rows a request contributes: the shared first dimension of its inputs, or -1 when it cannot be
   * merged with others (a scalar, a BYTES input, or inputs that disagree on the first dimension).
   */
  public static long rows(List<Tensor> inputs) {
    long rows = -1;
    for (Tensor input : inputs) {
      if (input.getShape().isEmpty() || input.getDatatype() == DataType.BYTES) {
        return -1;
      }
      long first = input.getShape().get(0);
      if (first < 1 || (rows >= 0 && rows != first)) {
        return -1;
      }
      rows = first;
    }
    return rows;
  }

  /**
   * What two requests must share to merge: input names, datatypes, every dimension but the first,
   * and the requested outputs. Null when the request must run alone.
   */
  public static String mergeKey(List<Tensor> inputs, Collection<String> requestedOutputs) {
    if (inputs.isEmpty() || rows(inputs) < 0) {
      return null;
    }
    String tensors =
        inputs.stream()
            .sorted(Comparator.comparing(Tensor::getName))
            .map(
                t ->
                    t.getName()
                        + ":"
                        + t.getDatatype()
                        + t.getShape().subList(1, t.getShape().size()))
            .collect(Collectors.joining(","));
    return tensors + "->" + new TreeSet<>(requestedOutputs);
  }

  /** Concatenates the requests' inputs along the first dimension (requests share a merge key). */
  public static List<Tensor> merge(List<List<Tensor>> requests) {
    List<Tensor> first = requests.get(0);
    List<Tensor> merged = new ArrayList<>(first.size());
    for (Tensor template : first) {
      long totalRows = 0;
      int totalBytes = 0;
      List<ByteBuffer> parts = new ArrayList<>(requests.size());
      for (List<Tensor> request : requests) {
        Tensor part = byName(request, template.getName());
        totalRows += part.getShape().get(0);
        totalBytes += part.getData().remaining();
        parts.add(part.getData().duplicate());
      }
      ByteBuffer data = ByteBuffer.allocate(totalBytes).order(ByteOrder.LITTLE_ENDIAN);
      parts.forEach(data::put);
      data.flip();
      List<Long> shape = new ArrayList<>(template.getShape());
      shape.set(0, totalRows);
      merged.add(
          Tensor.newBuilder()
              .setName(template.getName())
              .setDatatype(template.getDatatype())
              .setShape(shape)
              .setData(data)
              .build());
    }
    return merged;
  }

  /**
   * Splits batched outputs back to the requests, {@code rows[i]} rows for request i. Throws
   * IllegalArgumentException when an output's first dimension is not the total of the rows.
   */
  public static List<List<Tensor>> split(List<Tensor> outputs, long[] rows) {
    long total = 0;
    for (long r : rows) {
      total += r;
    }
    List<List<Tensor>> perRequest = new ArrayList<>(rows.length);
    for (int i = 0; i < rows.length; i++) {
      perRequest.add(new ArrayList<>(outputs.size()));
    }
    for (Tensor output : outputs) {
      if (output.getShape().isEmpty() || output.getShape().get(0) != total) {
        throw new IllegalArgumentException(
            "output '%s' has shape %s, expected %d rows"
                .formatted(output.getName(), output.getShape(), total));
      }
      List<Tensor> slices = slice(output, rows, total);
      for (int i = 0; i < rows.length; i++) {
        perRequest.get(i).add(slices.get(i));
      }
    }
    return perRequest;
  }

  private static List<Tensor> slice(Tensor output, long[] rows, long total) {
    if (output.getDatatype() == DataType.BYTES) {
      return sliceBytes(output, rows, total);
    }
    long elementsPerRow = total == 0 ? 0 : Tensors.elementCount(output.getShape()) / total;
    int rowBytes = (int) (elementsPerRow * DataTypes.elementSize(output.getDatatype()));
    ByteBuffer data = output.getData().duplicate();
    List<Tensor> slices = new ArrayList<>(rows.length);
    int position = data.position();
    for (long r : rows) {
      ByteBuffer part = data.duplicate();
      part.position(position).limit(position + (int) r * rowBytes);
      position += (int) r * rowBytes;
      ByteBuffer copy = ByteBuffer.allocate(part.remaining()).put(part).flip();
      slices.add(withRows(output, r, copy));
    }
    return slices;
  }

  private static List<Tensor> sliceBytes(Tensor output, long[] rows, long total) {
    List<byte[]> elements = Tensors.toByteElements(output);
    int perRow = total == 0 ? 0 : (int) (elements.size() / total);
    List<Tensor> slices = new ArrayList<>(rows.length);
    int index = 0;
    for (long r : rows) {
      List<byte[]> part = elements.subList(index, index + (int) r * perRow);
      index += (int) r * perRow;
      int size = part.stream().mapToInt(b -> 4 + b.length).sum();
      ByteBuffer data = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
      part.forEach(b -> data.putInt(b.length).put(b));
      data.flip();
      slices.add(withRows(output, r, data));
    }
    return slices;
  }

  private static Tensor withRows(Tensor output, long rows, ByteBuffer data) {
    List<Long> shape = new ArrayList<>(output.getShape());
    shape.set(0, rows);
    // Plain builder: Avro's copy builder deep-copies through reflection that its class
    // security validator refuses for generated classes.
    return Tensor.newBuilder()
        .setName(output.getName())
        .setDatatype(output.getDatatype())
        .setShape(shape)
        .setData(data)
        .setParameters(output.getParameters())
        .build();
  }

  private static Tensor byName(List<Tensor> tensors, String name) {
    for (Tensor tensor : tensors) {
      if (tensor.getName().equals(name)) {
        return tensor;
      }
    }
    throw new IllegalArgumentException("request has no input '" + name + "'");
  }
}
