package dev.kaskade.processors.audit;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.LoggerSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;
import java.util.Map;

/** Small builders of the events the payload logger tests use. */
final class AuditFixtures {
  private AuditFixtures() {}

  static InferenceRequest request(String id, String model, float... values) {
    return InferenceRequest.newBuilder()
        .setId(id)
        .setModel(model)
        .setNamespace("default")
        .setInputs(
            List.of(
                Tensors.ofFloats("x", List.of(1L, (long) values.length), values),
                Tensors.ofFloats("ssn", List.of(1L, 1L), new float[] {123f})))
        .setCreatedEpochMs(1_700_000_000_000L)
        .build();
  }

  static InferenceResponse response(String id, String model, float... values) {
    return InferenceResponse.newBuilder()
        .setId(id)
        .setModel(model)
        .setModelVersion(model + "-predictor-0000abcd")
        .setOutputs(List.of(Tensors.ofFloats("y", List.of(1L, (long) values.length), values)))
        .setCreatedEpochMs(1_700_000_000_050L)
        .build();
  }

  static ResourceEvent isvc(String namespace, String name, LoggerSpec logger) {
    return isvc(namespace, name, logger, Map.of());
  }

  static ResourceEvent isvc(
      String namespace, String name, LoggerSpec logger, Map<String, String> annotations) {
    return ResourceEvent.newBuilder()
        .setKind("InferenceService")
        .setNamespace(namespace)
        .setName(name)
        .setAnnotations(annotations)
        .setSpec(
            InferenceServiceSpec.newBuilder()
                .setPredictor(
                    PredictorSpec.newBuilder().setRevision(name + "-predictor-0000abcd").build())
                .setLogger(logger)
                .build())
        .build();
  }

  static LoggerSpec logger(String mode, String url, List<String> redact) {
    return LoggerSpec.newBuilder().setMode(mode).setUrl(url).setRedact(redact).build();
  }
}
