package dev.kaskade.workers.testing;

import dev.kaskade.events.BatcherSpec;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.Tensor;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/** Builders of the events the tests send. */
public final class Fixtures {
  private Fixtures() {}

  /** A request with one {@code input} FP32 [rows,4] tensor. */
  public static InferenceRequest request(String id, String model, float[]... rows) {
    float[] data = new float[rows.length * 4];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, data, i * 4, 4);
    }
    return request(id, model, Tensors.ofFloats("input", List.of((long) rows.length, 4L), data));
  }

  public static InferenceRequest request(String id, String model, Tensor... inputs) {
    return InferenceRequest.newBuilder()
        .setId(id)
        .setModel(model)
        .setInputs(new ArrayList<>(List.of(inputs)))
        .setCreatedEpochMs(System.currentTimeMillis())
        .build();
  }

  public static PredictorSpec predictor(String revision, String storageUri, BatcherSpec batcher) {
    return PredictorSpec.newBuilder()
        .setRevision(revision)
        .setModelFormat("onnx")
        .setStorageUri(storageUri)
        .setBatcher(batcher)
        .build();
  }

  public static BatcherSpec batcher(int maxBatchSize, long maxLatencyMs) {
    return BatcherSpec.newBuilder()
        .setMaxBatchSize(maxBatchSize)
        .setMaxLatencyMs(maxLatencyMs)
        .build();
  }

  public static ResourceEvent inferenceService(
      String namespace, String name, InferenceServiceSpec spec) {
    return ResourceEvent.newBuilder()
        .setKind("InferenceService")
        .setNamespace(namespace)
        .setName(name)
        .setSpec(spec)
        .build();
  }

  public static ResourceEvent inferenceService(
      String namespace, String name, PredictorSpec predictor) {
    return inferenceService(
        namespace, name, InferenceServiceSpec.newBuilder().setPredictor(predictor).build());
  }

  public static ResourceEvent trainedModel(
      String namespace, String name, String parent, String storageUri) {
    return ResourceEvent.newBuilder()
        .setKind("TrainedModel")
        .setApiVersion("serving.kserve.io/v1alpha1")
        .setNamespace(namespace)
        .setName(name)
        .setSpec(
            TrainedModelSpec.newBuilder()
                .setInferenceService(parent)
                .setStorageUri(storageUri)
                .setFramework("onnx")
                .build())
        .build();
  }
}
