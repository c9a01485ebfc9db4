package dev.kaskade.workers.backend.triton;

import dev.kaskade.events.DataType;
import dev.kaskade.workers.backend.ModelBatching;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.triton.proto.DynamicBatching;
import dev.kaskade.workers.backend.triton.proto.ModelConfig;
import dev.kaskade.workers.backend.triton.proto.ModelTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A config.pbtxt checked against the model file it describes (pure). The metadata Kaskade reports
 * is the configuration's: its names, datatypes and {@code dims}, with the batch dimension prepended
 * as -1 when {@code max_batch_size > 0}. Inputs or outputs the configuration leaves out are taken
 * from the model (Triton's auto-complete); a configuration that lists outputs serves only those.
 */
final class TritonSignature {
  private TritonSignature() {}

  /** The batching settings of the configuration. */
  static ModelBatching batching(ModelConfig config, String model) throws ModelLoadException {
    int max = config.getMaxBatchSize();
    if (max < 0) {
      throw invalid(model, "max_batch_size must be >= 0, got " + max);
    }
    if (config.hasSequenceBatching() || config.hasEnsembleScheduling()) {
      throw invalid(
          model,
          "sequence_batching and ensemble_scheduling are not supported in-process; serve it with"
              + " KServe's tritonserver through the runtime bridge");
    }
    if (!config.hasDynamicBatching()) {
      return new ModelBatching(max, false, 0, List.of());
    }
    DynamicBatching dynamic = config.getDynamicBatching();
    if (max == 0) {
      throw invalid(model, "dynamic_batching needs max_batch_size > 0");
    }
    for (int preferred : dynamic.getPreferredBatchSizeList()) {
      if (preferred < 1 || preferred > max) {
        throw invalid(
            model,
            "preferred_batch_size " + preferred + " is not between 1 and max_batch_size " + max);
      }
    }
    return new ModelBatching(
        max, true, dynamic.getMaxQueueDelayMicroseconds(), dynamic.getPreferredBatchSizeList());
  }

  /** The metadata to report for {@code name}, checked against the loaded model's own. */
  static ModelMetadata metadata(ModelConfig config, String model, String name, ModelMetadata file)
      throws ModelLoadException {
    if (!config.getName().isBlank() && !config.getName().equals(model)) {
      throw invalid(
          model, "name '" + config.getName() + "' differs from the model's folder name " + model);
    }
    boolean batched = config.getMaxBatchSize() > 0;
    List<TensorMetadata> inputs =
        tensors(config.getInputList(), file.inputs(), batched, model, "input");
    List<String> missing =
        file.inputs().stream()
            .map(TensorMetadata::name)
            .filter(n -> inputs.stream().noneMatch(t -> t.name().equals(n)))
            .toList();
    if (!missing.isEmpty()) {
      throw invalid(model, "the model's inputs " + missing + " are missing from the input list");
    }
    List<TensorMetadata> outputs =
        tensors(config.getOutputList(), file.outputs(), batched, model, "output");
    return new ModelMetadata(name, file.platform(), inputs, outputs);
  }

  private static List<TensorMetadata> tensors(
      List<ModelTensor> configured,
      List<TensorMetadata> actual,
      boolean batched,
      String model,
      String kind)
      throws ModelLoadException {
    if (configured.isEmpty()) {
      return actual;
    }
    Map<String, TensorMetadata> byName =
        actual.stream().collect(Collectors.toMap(TensorMetadata::name, Function.identity()));
    List<TensorMetadata> out = new ArrayList<>();
    for (ModelTensor tensor : configured) {
      TensorMetadata real = byName.get(tensor.getName());
      if (real == null) {
        throw invalid(
            model,
            kind
                + " '"
                + tensor.getName()
                + "' is not an "
                + kind
                + " of the model file (it has "
                + byName.keySet()
                + ")");
      }
      out.add(checked(tensor, real, batched, model, kind));
    }
    return out;
  }

  private static TensorMetadata checked(
      ModelTensor tensor, TensorMetadata real, boolean batched, String model, String kind)
      throws ModelLoadException {
    String what = kind + " '" + tensor.getName() + "'";
    if (tensor.hasReshape()) {
      throw invalid(model, what + " uses reshape, which Kaskade does not support");
    }
    DataType type = TritonConfigs.dataType(tensor.getDataType());
    if (type == null) {
      throw invalid(model, what + " needs a data_type (TYPE_FP32, …)");
    }
    if (type != real.datatype()) {
      throw invalid(
          model,
          what + " is " + tensor.getDataType() + " but the model file has " + real.datatype());
    }
    List<Long> shape = new ArrayList<>();
    if (batched) {
      shape.add(-1L);
    }
    shape.addAll(tensor.getDimsList());
    if (!compatible(shape, real.shape(), batched)) {
      throw invalid(
          model,
          what
              + " has dims "
              + tensor.getDimsList()
              + (batched ? " (with max_batch_size > 0: shape " + shape + ")" : "")
              + " but the model file's shape is "
              + real.shape()
              + (batched
                  ? "; with max_batch_size > 0 the model's first dimension must be -1"
                  : ""));
    }
    return new TensorMetadata(tensor.getName(), type, shape);
  }

  /** Same rank, each dimension equal or -1 on either side; a batch dimension must be variable. */
  static boolean compatible(List<Long> configured, List<Long> actual, boolean batched) {
    if (configured.size() != actual.size()) {
      return false;
    }
    if (batched && actual.get(0) != -1L) {
      return false;
    }
    for (int i = 0; i < configured.size(); i++) {
      long c = configured.get(i);
      long a = actual.get(i);
      if (c != a && c != -1 && a != -1) {
        return false;
      }
    }
    return true;
  }

  private static ModelLoadException invalid(String model, String problem) {
    return new ModelLoadException(
        "config.pbtxt of Triton model " + model + " is not usable: " + problem);
  }
}
