package dev.kaskade.workers.backend.xgboost;

import dev.kaskade.events.DataType;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBackend;
import dev.kaskade.workers.backend.ModelFiles;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.tabular.TabularTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost through xgboost4j (format {@code xgboost}, platform {@code xgboost}), reading the files
 * KServe's xgbserver reads: one {@code .bst} (legacy binary), {@code .json} or {@code .ubj} booster
 * under the storage path.
 *
 * <p>Outputs: {@code output-0} is what {@code Booster.predict} returns for the model's objective
 * (class probabilities {@code [rows, classes]} for {@code multi:softprob}, labels {@code [rows]}
 * for {@code multi:softmax}, probabilities for {@code binary:logistic}, values for regression), and
 * {@code margin} the untransformed margins ({@code output_margin=True}), computed only when a
 * request names it.
 *
 * <p>{@link ModelSource#parameters()} key {@value #NTHREAD}: XGBoost's thread count for one
 * prediction, default 1. Requests are small and the worker runs several at once, so one thread per
 * prediction avoids OpenMP's spin-up and its contention on small machines.
 */
public final class XgboostBackend implements ModelBackend {
  public static final String NAME = "xgboost";
  public static final String PLATFORM = "xgboost";
  public static final String MARGIN = "margin";
  public static final String NTHREAD = "nthread";
  public static final List<String> EXTENSIONS = List.of(".bst", ".json", ".ubj");

  /** Trees are unpacked from a compact file; the in-memory model is a few times larger. */
  static final long MEMORY_FACTOR = 4;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> formats() {
    return Set.of("xgboost");
  }

  @Override
  public Availability availability() {
    try {
      Class.forName("ml.dmlc.xgboost4j.java.XGBoostJNI", true, getClass().getClassLoader());
      return Availability.AVAILABLE;
    } catch (ClassNotFoundException | LinkageError e) {
      return Availability.unavailable("xgboost4j native library failed to load: " + e);
    }
  }

  @Override
  public LoadedModel load(ModelSource source) throws ModelLoadException {
    Path file = ModelFiles.find(source.localPath(), EXTENSIONS);
    Booster booster;
    try {
      booster = XGBoost.loadModel(file.toString());
    } catch (XGBoostError | RuntimeException | LinkageError e) {
      throw new ModelLoadException(
          "XGBoost could not load " + file.getFileName() + ": " + e.getMessage(), e);
    }
    try {
      booster.setParam(NTHREAD, source.parameters().getOrDefault(NTHREAD, "1"));
      int features = Math.toIntExact(booster.getNumFeature());
      XgboostLoadedModel probe = new XgboostLoadedModel(booster, features, null, 0);
      int valueWidth = probe.width(Booster.PredictionType.kValue);
      int marginWidth = probe.width(Booster.PredictionType.kMargin);
      ModelMetadata metadata =
          new ModelMetadata(
              source.name(),
              PLATFORM,
              List.of(TabularTensors.input(features)),
              List.of(
                  TabularTensors.output(TabularTensors.OUTPUT, DataType.FP32, valueWidth),
                  TabularTensors.output(MARGIN, DataType.FP32, marginWidth)));
      return new XgboostLoadedModel(booster, features, metadata, Files.size(file) * MEMORY_FACTOR);
    } catch (XGBoostError | InferenceFailure | IOException | RuntimeException e) {
      booster.dispose();
      throw new ModelLoadException(
          "XGBoost could not describe " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }
}
