package dev.kaskade.gateway.testing;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ExplainerSpec;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.events.TransformerSpec;

/** Small builders of control and status events for gateway tests. */
public final class Resources {
  public static final String IRIS_METADATA =
      """
      {"name":"iris","versions":[],"platform":"onnx_onnxv1",
       "inputs":[{"name":"input","datatype":"FP32","shape":[-1,4]}],
       "outputs":[{"name":"output","datatype":"FP32","shape":[-1,3]}]}""";

  private Resources() {}

  public static PredictorSpec predictor(String revision, Long timeoutSeconds) {
    return PredictorSpec.newBuilder()
        .setRevision(revision)
        .setModelFormat("onnx")
        .setTimeoutSeconds(timeoutSeconds)
        .build();
  }

  public static InferenceServiceSpec.Builder spec(String revision) {
    return InferenceServiceSpec.newBuilder().setPredictor(predictor(revision, null));
  }

  public static InferenceServiceSpec withExplainer(String revision) {
    return spec(revision).setExplainer(ExplainerSpec.newBuilder().build()).build();
  }

  public static InferenceServiceSpec withTransformer(String revision) {
    return spec(revision).setTransformer(TransformerSpec.newBuilder().build()).build();
  }

  public static InferenceServiceSpec canary(String latest, String previous, int percent) {
    return spec(latest)
        .setPreviousPredictor(predictor(previous, null))
        .setCanaryTrafficPercent(percent)
        .build();
  }

  public static ResourceEvent isvc(String ns, String name, InferenceServiceSpec spec) {
    return ResourceEvent.newBuilder()
        .setKind("InferenceService")
        .setNamespace(ns)
        .setName(name)
        .setSpec(spec)
        .build();
  }

  public static ResourceEvent trainedModel(String ns, String name, String parent) {
    return ResourceEvent.newBuilder()
        .setKind("TrainedModel")
        .setNamespace(ns)
        .setName(name)
        .setSpec(
            TrainedModelSpec.newBuilder()
                .setInferenceService(parent)
                .setStorageUri("file:///m")
                .build())
        .build();
  }

  public static ResourceEvent graph(String ns, String name) {
    return ResourceEvent.newBuilder()
        .setKind("InferenceGraph")
        .setNamespace(ns)
        .setName(name)
        .setSpec(InferenceGraphSpec.newBuilder().build())
        .build();
  }

  public static ComponentStatus predictorStatus(
      String ns, String name, String revision, ModelState state, String metadataJson) {
    return ComponentStatus.newBuilder()
        .setNamespace(ns)
        .setName(name)
        .setComponent("predictor")
        .setRevision(revision)
        .setState(state)
        .setInstance("worker-1")
        .setKind("InferenceService")
        .setModelMetadataJson(metadataJson)
        .build();
  }
}
