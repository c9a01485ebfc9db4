package dev.kaskade.workers.backend.lightgbm;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import dev.kaskade.events.DataType;
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

/**
 * LightGBM through Microsoft's lightgbmlib JNI binding (format {@code lightgbm}, platform {@code
 * lightgbm}), reading LightGBM's text model format ({@code model.txt}, as KServe's lgbserver; any
 * single {@code .txt} file under the storage path).
 *
 * <p>Outputs: {@code output-0} is {@code Booster.predict}'s answer (class probabilities {@code
 * [rows, classes]} for multiclass, the probability for binary, the value for regression) and {@code
 * raw} the raw scores ({@code raw_score=True}), computed only when a request names it.
 */
public final class LightGbmBackend implements ModelBackend {
  public static final String NAME = "lightgbm";
  public static final String PLATFORM = "lightgbm";
  public static final String RAW = "raw";
  static final long MEMORY_FACTOR = 2;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> formats() {
    return Set.of("lightgbm");
  }

  @Override
  public Availability availability() {
    String failure = LightGbmNatives.ensureLoaded();
    return failure == null ? Availability.AVAILABLE : Availability.unavailable(failure);
  }

  @Override
  public LoadedModel load(ModelSource source) throws ModelLoadException {
    String failure = LightGbmNatives.ensureLoaded();
    if (failure != null) {
      throw new ModelLoadException(failure);
    }
    Path file = ModelFiles.find(source.localPath(), List.of(".txt"));
    SWIGTYPE_p_void handle = create(file);
    try {
      int features = intProperty(handle, true);
      int classes = intProperty(handle, false);
      ModelMetadata metadata =
          new ModelMetadata(
              source.name(),
              PLATFORM,
              List.of(TabularTensors.input(features)),
              List.of(
                  TabularTensors.output(TabularTensors.OUTPUT, DataType.FP32, classes),
                  TabularTensors.output(RAW, DataType.FP32, classes)));
      return new LightGbmLoadedModel(
          handle, features, classes, metadata, Files.size(file) * MEMORY_FACTOR);
    } catch (ModelLoadException | IOException | RuntimeException e) {
      lightgbmlib.LGBM_BoosterFree(handle);
      throw new ModelLoadException(
          "LightGBM could not describe " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static SWIGTYPE_p_void create(Path file) throws ModelLoadException {
    SWIGTYPE_p_int iterations = lightgbmlib.new_intp();
    SWIGTYPE_p_p_void out = lightgbmlib.voidpp_handle();
    try {
      int rc = lightgbmlib.LGBM_BoosterCreateFromModelfile(file.toString(), iterations, out);
      if (rc != 0) {
        throw new ModelLoadException(
            "LightGBM could not load "
                + file.getFileName()
                + ": "
                + lightgbmlib.LGBM_GetLastError());
      }
      return lightgbmlib.voidpp_value(out);
    } finally {
      lightgbmlib.delete_intp(iterations);
    }
  }

  private static int intProperty(SWIGTYPE_p_void handle, boolean features)
      throws ModelLoadException {
    SWIGTYPE_p_int value = lightgbmlib.new_intp();
    try {
      int rc =
          features
              ? lightgbmlib.LGBM_BoosterGetNumFeature(handle, value)
              : lightgbmlib.LGBM_BoosterGetNumClasses(handle, value);
      if (rc != 0) {
        throw new ModelLoadException(lightgbmlib.LGBM_GetLastError());
      }
      return lightgbmlib.intp_value(value);
    } finally {
      lightgbmlib.delete_intp(value);
    }
  }
}
