package dev.kaskade.workers.backend.lightgbm;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
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

/**
 * One LightGBM booster. LightGBM's predict takes a shared lock, so inferences run concurrently;
 * each row goes through {@code LGBM_BoosterPredictForMatSingle}, which reads the Java array in
 * place (no per-element JNI copies).
 */
final class LightGbmLoadedModel implements LoadedModel {
  private final SWIGTYPE_p_void handle;
  private final int features;
  private final int classes;
  private final ModelMetadata metadata;
  private final long memoryBytes;
  private final CloseGuard guard;

  LightGbmLoadedModel(
      SWIGTYPE_p_void handle, int features, int classes, ModelMetadata metadata, long memoryBytes) {
    this.handle = handle;
    this.features = features;
    this.classes = classes;
    this.metadata = metadata;
    this.memoryBytes = memoryBytes;
    this.guard = new CloseGuard(metadata.name());
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
              int type =
                  LightGbmBackend.RAW.equals(output.name())
                      ? lightgbmlibConstants.C_API_PREDICT_RAW_SCORE
                      : lightgbmlibConstants.C_API_PREDICT_NORMAL;
              out.add(
                  TabularTensors.floats(output.name(), rows.count(), classes, predict(rows, type)));
            }
          }
          return out;
        });
  }

  private float[] predict(TabularTensors.Rows rows, int type) throws InferenceFailure {
    float[] out = new float[rows.count() * classes];
    SWIGTYPE_p_long_long length = lightgbmlib.new_int64_tp();
    SWIGTYPE_p_double result = lightgbmlib.new_doubleArray(classes);
    try {
      for (int r = 0; r < rows.count(); r++) {
        int rc =
            lightgbmlib.LGBM_BoosterPredictForMatSingle(
                rows.row(r),
                handle,
                lightgbmlibConstants.C_API_DTYPE_FLOAT64,
                features,
                1,
                type,
                0,
                -1,
                "",
                length,
                result);
        if (rc != 0) {
          throw new InferenceFailure("LightGBM predict failed: " + lightgbmlib.LGBM_GetLastError());
        }
        for (int c = 0; c < classes; c++) {
          out[r * classes + c] = (float) lightgbmlib.doubleArray_getitem(result, c);
        }
      }
      return out;
    } finally {
      lightgbmlib.delete_doubleArray(result);
      lightgbmlib.delete_int64_tp(length);
    }
  }

  @Override
  public long memoryBytes() {
    return memoryBytes;
  }

  @Override
  public void close() {
    guard.close(() -> lightgbmlib.LGBM_BoosterFree(handle));
  }
}
