package dev.kaskade.processors.testing;

import dev.kaskade.events.ExplainerSpec;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.Tensor;
import dev.kaskade.events.TransformerSpec;
import dev.kaskade.processors.json.Payloads;
import java.util.List;

/** Small builders of test events. */
public final class Fixtures {
  private Fixtures() {}

  public static InferenceServiceSpec.Builder isvc(String revision) {
    return InferenceServiceSpec.newBuilder()
        .setPredictor(
            PredictorSpec.newBuilder().setRevision(revision).setModelFormat("onnx").build());
  }

  public static InferenceServiceSpec withMonitor(String revision, String monitorJson) {
    return isvc(revision).setMonitorJson(monitorJson).build();
  }

  public static InferenceServiceSpec withTransformer(String revision, String stepsJson) {
    return isvc(revision)
        .setTransformer(TransformerSpec.newBuilder().setStepsJson(stepsJson).build())
        .build();
  }

  public static InferenceServiceSpec withExplainer(String revision, String configJson) {
    return isvc(revision)
        .setExplainer(ExplainerSpec.newBuilder().setConfigJson(configJson).build())
        .build();
  }

  public static ResourceEvent resource(String namespace, String name, InferenceServiceSpec spec) {
    return ResourceEvent.newBuilder()
        .setKind("InferenceService")
        .setNamespace(namespace)
        .setName(name)
        .setSpec(spec)
        .build();
  }

  public static ResourceEvent graph(String namespace, String name, String nodesJson) {
    return ResourceEvent.newBuilder()
        .setKind("InferenceGraph")
        .setApiVersion("serving.kserve.io/v1alpha1")
        .setNamespace(namespace)
        .setName(name)
        .setSpec(InferenceGraphSpec.newBuilder().setNodesJson(nodesJson).build())
        .build();
  }

  public static InferenceRequest request(String id, String model, double[][] rows) {
    return InferenceRequest.newBuilder()
        .setId(id)
        .setModel(model)
        .setInputs(List.of(Payloads.tensor("input-0", dev.kaskade.events.DataType.FP32, rows)))
        .build();
  }

  public static InferenceRequest jsonRequest(String id, String model, String json) {
    return InferenceRequest.newBuilder()
        .setId(id)
        .setModel(model)
        .setInputs(List.<Tensor>of())
        .setJsonPayload(json)
        .build();
  }

  public static InferenceResponse response(String id, String model, List<Tensor> outputs) {
    return InferenceResponse.newBuilder().setId(id).setModel(model).setOutputs(outputs).build();
  }
}
