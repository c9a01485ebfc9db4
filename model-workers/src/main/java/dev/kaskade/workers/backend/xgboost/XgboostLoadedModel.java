package dev.kaskade.workers.backend.xgboost;

import dev.kaskade.events.Tensor;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.tabular.CloseGuard;
import dev.kaskade.workers.backend.tabular.TabularTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One booster. {@code inplace_predict} (no DMatrix copy) is thread-safe on CPU, so inferences run
 * concurrently; missing values are NaN, as in xgbserver.
 */
final class XgboostLoadedModel implements LoadedModel {
  /** Predict with every tree: xgboost's iteration range (0, 0). */
  private static final int[] ALL_TREES = {0, 0};

  private final Booster booster;
  private final int features;
  private final ModelMetadata metadata;
  private final long memoryBytes;
  private final CloseGuard guard;

  XgboostLoadedModel(Booster booster, int features, ModelMetadata metadata, long memoryBytes) {
    this.booster = booster;
    this.features = features;
    this.metadata = metadata;
    this.memoryBytes = memoryBytes;
    this.guard = new CloseGuard(metadata == null ? "xgboost" : metadata.name());
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs)
      throws InferenceFailure {
    TabularTensors.Rows rows = TabularTensors.rows(inputs, features);
    return guard.run(
        () -> {
          List<Tensor> out = new ArrayList<>(2);
          for (TensorMetadata output : metadata.outputs()) {
            if (TabularTensors.wanted(requestedOutputs, output.name())) {
              out.add(predict(rows, output));
            }
          }
          return out;
        });
  }

  private Tensor predict(TabularTensors.Rows rows, TensorMetadata output) throws InferenceFailure {
    Booster.PredictionType type =
        XgboostBackend.MARGIN.equals(output.name())
            ? Booster.PredictionType.kMargin
            : Booster.PredictionType.kValue;
    float[][] predicted = predict(rows.values(), rows.count(), type);
    int width = predicted.length == 0 ? widthOf(output) : predicted[0].length;
    return TabularTensors.floats(
        output.name(), rows.count(), width, TabularTensors.flatten(predicted, width));
  }

  /** Values per row of a prediction type, found by predicting one row of missing values. */
  int width(Booster.PredictionType type) throws InferenceFailure {
    float[] row = new float[features];
    java.util.Arrays.fill(row, Float.NaN);
    return predict(row, 1, type)[0].length;
  }

  private float[][] predict(float[] values, int count, Booster.PredictionType type)
      throws InferenceFailure {
    try {
      return booster.inplace_predict(values, count, features, Float.NaN, ALL_TREES, type, null);
    } catch (XGBoostError e) {
      throw new InferenceFailure("XGBoost predict failed: " + e.getMessage(), e);
    }
  }

  private static int widthOf(TensorMetadata output) {
    return output.shape().size() == 1 ? 1 : output.shape().get(1).intValue();
  }

  @Override
  public long memoryBytes() {
    return memoryBytes;
  }

  @Override
  public void close() {
    guard.close(booster::dispose);
  }
}
