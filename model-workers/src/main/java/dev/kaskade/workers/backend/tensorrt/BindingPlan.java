package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.DataTypes;
import dev.kaskade.workers.backend.InferenceFailure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds request tensors to engine tensors by name, checking datatype, rank, static dimensions and
 * byte length, and picks the outputs to copy back (engine order).
 *
 * @param inputs engine input name → host tensor
 * @param outputs output names in engine order
 * @param batch the request's batch size (dimension 0)
 */
public record BindingPlan(Map<String, HostTensor> inputs, Set<String> outputs, long batch) {

  public static BindingPlan create(
      List<EngineTensor> engine, List<Tensor> request, Set<String> requestedOutputs)
      throws InferenceFailure {
    Map<String, EngineTensor> engineInputs = new LinkedHashMap<>();
    List<String> engineOutputs = new ArrayList<>();
    for (EngineTensor tensor : engine) {
      if (tensor.input()) {
        engineInputs.put(tensor.name(), tensor);
      } else {
        engineOutputs.add(tensor.name());
      }
    }
    Map<String, Tensor> byName = new HashMap<>();
    for (Tensor tensor : request) {
      if (!engineInputs.containsKey(tensor.getName())) {
        throw new InferenceFailure(
            "unknown input '" + tensor.getName() + "'; engine inputs are " + engineInputs.keySet());
      }
      byName.put(tensor.getName(), tensor);
    }
    Map<String, HostTensor> inputs = new LinkedHashMap<>();
    long batch = -1;
    for (EngineTensor expected : engineInputs.values()) {
      Tensor tensor = byName.get(expected.name());
      if (tensor == null) {
        throw new InferenceFailure("missing input '" + expected.name() + "'");
      }
      DataType type = TrtTypes.toOip(expected.trtType());
      if (tensor.getDatatype() != type) {
        throw new InferenceFailure(
            "input '%s' has datatype %s, engine expects %s"
                .formatted(expected.name(), tensor.getDatatype(), type));
      }
      List<Long> shape = tensor.getShape();
      if (shape.size() != expected.shape().size()) {
        throw new InferenceFailure(
            "input '%s' has shape %s, engine expects rank %d (%s)"
                .formatted(expected.name(), shape, expected.shape().size(), expected.shape()));
      }
      long elements = 1;
      for (int axis = 0; axis < shape.size(); axis++) {
        long want = expected.shape().get(axis);
        long got = shape.get(axis);
        if (got < 1 || (want >= 0 && want != got)) {
          throw new InferenceFailure(
              "input '%s' has shape %s, engine expects %s"
                  .formatted(expected.name(), shape, expected.shape()));
        }
        elements = product(elements, got, expected.name(), shape);
      }
      if (!shape.isEmpty()) {
        if (batch >= 0 && batch != shape.get(0)) {
          throw new InferenceFailure(
              "inputs disagree on the batch size: " + batch + " vs " + shape.get(0));
        }
        batch = shape.get(0);
      }
      ByteBuffer data = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      long bytes = product(elements, DataTypes.elementSize(type), expected.name(), shape);
      if (data.remaining() != bytes) {
        throw new InferenceFailure(
            "input '%s': shape %s needs %d bytes, got %d"
                .formatted(expected.name(), shape, bytes, data.remaining()));
      }
      inputs.put(expected.name(), new HostTensor(shape, data));
    }
    Set<String> outputs = new LinkedHashSet<>();
    for (String name : engineOutputs) {
      if (requestedOutputs == null
          || requestedOutputs.isEmpty()
          || requestedOutputs.contains(name)) {
        outputs.add(name);
      }
    }
    if (requestedOutputs != null) {
      for (String name : requestedOutputs) {
        if (!outputs.contains(name)) {
          throw new InferenceFailure(
              "unknown output '" + name + "'; engine outputs are " + engineOutputs);
        }
      }
    }
    return new BindingPlan(inputs, outputs, batch);
  }

  /** An exact product: a shape whose size overflows a long is a bad request, not a wrap to 0. */
  private static long product(long a, long b, String input, List<Long> shape)
      throws InferenceFailure {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new InferenceFailure("input '%s': shape %s is too large".formatted(input, shape));
    }
  }
}
