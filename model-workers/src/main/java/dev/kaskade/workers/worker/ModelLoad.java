package dev.kaskade.workers.worker;

import java.util.Map;
import java.util.Objects;

/**
 * What to load: an InferenceService predictor revision or a TrainedModel hosted by one.
 *
 * @param name model name (InferenceService or TrainedModel)
 * @param revision the revision that answers (model_version)
 * @param storageUri where the model lives (file, http(s), s3, pvc)
 * @param format model format (e.g. "onnx")
 * @param parameters backend settings from the predictor spec
 * @param annotations the resource's annotations (storage credentials, …)
 * @param protocolVersion the predictor's {@code protocolVersion} (v1, v2, grpc-v2), null if unset
 */
public record ModelLoad(
    String name,
    String revision,
    String storageUri,
    String format,
    Map<String, String> parameters,
    Map<String, String> annotations,
    String protocolVersion) {
  public ModelLoad {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(revision, "revision");
    parameters = Map.copyOf(parameters);
    annotations = Map.copyOf(annotations);
  }

  public ModelLoad(
      String name,
      String revision,
      String storageUri,
      String format,
      Map<String, String> parameters,
      Map<String, String> annotations) {
    this(name, revision, storageUri, format, parameters, annotations, null);
  }
}
