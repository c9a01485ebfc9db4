package dev.kaskade.sink;

import dev.kaskade.events.AuditOutcome;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;

/** Builders of audit records for the sink tests. */
public final class TestRecords {
  public static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private TestRecords() {}

  /** A paired record whose input is [i, i+0.5] and output [2*i]. */
  public static PayloadAuditRecord audit(String namespace, String isvc, int i, long time) {
    String id = isvc + "-req-" + i;
    return PayloadAuditRecord.newBuilder()
        .setCeId(id)
        .setCeTime(time)
        .setCeSource("test")
        .setCeNamespace(namespace)
        .setCeInferenceservicename(isvc)
        .setCeEndpoint("default")
        .setRequest(
            InferenceRequest.newBuilder()
                .setId(id)
                .setModel(isvc)
                .setNamespace(namespace)
                .setInputs(
                    List.of(Tensors.ofFloats("x", List.of(1L, 2L), new float[] {i, i + 0.5f})))
                .build())
        .setResponse(response(id, isvc, namespace, 2f * i))
        .setResponseTime(time + 5)
        .setOutcome(AuditOutcome.PAIRED)
        .build();
  }

  public static InferenceResponse response(String id, String isvc, String namespace, float y) {
    return InferenceResponse.newBuilder()
        .setId(id)
        .setModel(isvc)
        .setNamespace(namespace)
        .setModelVersion(isvc + "-predictor-00000001")
        .setOutputs(List.of(Tensors.ofFloats("y", List.of(1L, 1L), new float[] {y})))
        .build();
  }
}
