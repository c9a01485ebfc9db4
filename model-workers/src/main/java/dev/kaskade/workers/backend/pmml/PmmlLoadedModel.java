package dev.kaskade.workers.backend.pmml;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.tabular.TabularTensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.HasProbability;

/**
 * One JPMML evaluator. A built evaluator is immutable and thread-safe, so rows are evaluated
 * concurrently; it holds no native memory, so closing only drops the reference.
 */
final class PmmlLoadedModel implements LoadedModel {
  private final Evaluator evaluator;
  private final List<String> inputs;
  private final String target;
  private final List<Object> categories;
  private final ModelMetadata metadata;
  private final long memoryBytes;

  PmmlLoadedModel(
      Evaluator evaluator,
      List<String> inputs,
      String target,
      List<Object> categories,
      ModelMetadata metadata,
      long memoryBytes) {
    this.evaluator = evaluator;
    this.inputs = List.copyOf(inputs);
    this.target = target;
    this.categories = List.copyOf(categories);
    this.metadata = metadata;
    this.memoryBytes = memoryBytes;
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public List<Tensor> infer(List<Tensor> tensors, Set<String> requestedOutputs)
      throws InferenceFailure {
    TabularTensors.Rows rows = TabularTensors.rows(tensors, inputs.size());
    int count = rows.count();
    List<String> labels = new ArrayList<>(count);
    float[] values = new float[count];
    float[] probabilities = new float[count * categories.size()];
    for (int r = 0; r < count; r++) {
      Object result = evaluate(rows.row(r));
      Object decoded = EvaluatorUtil.decode(result);
      if (categories.isEmpty()) {
        values[r] = decoded instanceof Number n ? n.floatValue() : Float.NaN;
        continue;
      }
      labels.add(decoded == null ? "" : decoded.toString());
      if (result instanceof HasProbability hasProbability) {
        for (int c = 0; c < categories.size(); c++) {
          Double p = hasProbability.getProbability(categories.get(c));
          probabilities[r * categories.size() + c] = p == null ? 0f : p.floatValue();
        }
      }
    }
    List<Tensor> out = new ArrayList<>(2);
    if (TabularTensors.wanted(requestedOutputs, TabularTensors.OUTPUT)) {
      out.add(
          categories.isEmpty()
              ? TabularTensors.floats(TabularTensors.OUTPUT, count, 1, values)
              : Tensors.ofStrings(TabularTensors.OUTPUT, List.of((long) count), labels));
    }
    // Probabilities come with the label for free, so a request naming no outputs gets both.
    if (!categories.isEmpty()
        && (requestedOutputs.isEmpty() || requestedOutputs.contains(PmmlBackend.PROBABILITIES))) {
      out.add(
          TabularTensors.floats(
              PmmlBackend.PROBABILITIES, count, categories.size(), probabilities));
    }
    return out;
  }

  private Object evaluate(double[] row) throws InferenceFailure {
    Map<String, Object> arguments = new HashMap<>(inputs.size() * 2);
    for (int i = 0; i < row.length; i++) {
      arguments.put(inputs.get(i), row[i]);
    }
    try {
      return evaluator.evaluate(arguments).get(target);
    } catch (RuntimeException e) {
      throw new InferenceFailure("PMML evaluation failed: " + e.getMessage(), e);
    }
  }

  @Override
  public long memoryBytes() {
    return memoryBytes;
  }

  @Override
  public void close() {
    // Heap only: nothing to free.
  }
}
