package dev.kaskade.workers.backend.sklearn;

import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBackend;
import dev.kaskade.workers.backend.ModelFiles;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.onnx.OnnxBackend;
import dev.kaskade.workers.backend.pmml.PmmlBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * scikit-learn (format {@code sklearn}). A JVM cannot read Python pickles, so a scikit-learn model
 * is served from an export of it in the same storage path: an ONNX file (e.g. from skl2onnx, served
 * by ONNX Runtime) or else a PMML document (e.g. from sklearn2pmml, served by JPMML). A path that
 * holds only a pickle ({@code .joblib}, {@code .pkl}, {@code .pickle}) fails to load with a reason
 * that names both ways out: add one of those exports, or serve the pickle with KServe's
 * sklearnserver through the bridge.
 */
public final class SklearnBackend implements ModelBackend {
  public static final String NAME = "sklearn";
  public static final List<String> PICKLES = List.of(".joblib", ".pkl", ".pickle");

  private final OnnxBackend onnx = new OnnxBackend();
  private final PmmlBackend pmml = new PmmlBackend();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> formats() {
    return Set.of("sklearn");
  }

  @Override
  public LoadedModel load(ModelSource source) throws ModelLoadException {
    Path path = source.localPath();
    if (has(path, List.of(".onnx"))) {
      return onnx.load(source);
    }
    if (has(path, PmmlBackend.EXTENSIONS)) {
      return pmml.load(source);
    }
    String found = has(path, PICKLES) ? "only a Python pickle" : "no model file";
    throw new ModelLoadException(pickleReason(path, found));
  }

  /** The FailedToLoad reason for a scikit-learn model Kaskade cannot read natively. */
  static String pickleReason(Path path, String found) {
    return "scikit-learn model at "
        + path.getFileName()
        + " has "
        + found
        + " (.joblib/.pkl), which the JVM cannot read. Either (1) put an ONNX export"
        + " (model.onnx, e.g. from skl2onnx) or a PMML export (model.pmml, e.g. from"
        + " sklearn2pmml) of the model in the same storageUri, which Kaskade serves natively, or"
        + " (2) serve the pickle with KServe's sklearnserver through the bridge: annotate the"
        + " InferenceService with "
        + BackendRegistry.BRIDGE_ANNOTATION
        + ": <the sklearnserver's URL>";
  }

  private static boolean has(Path path, List<String> extensions) {
    try {
      ModelFiles.find(path, extensions);
      return true;
    } catch (ModelLoadException e) {
      // Several matching files also count as present: the delegate then reports them.
      return e.getMessage().startsWith("several");
    }
  }
}
