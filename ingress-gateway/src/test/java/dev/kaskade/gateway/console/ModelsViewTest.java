package dev.kaskade.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.gateway.route.ModelMetadata;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsViewTest {
  private static PredictorSpec predictor(String rev) {
    return PredictorSpec.newBuilder().setRevision(rev).setModelFormat("onnx").build();
  }

  private static ComponentStatus status(String rev, ModelState state, String reason, long t) {
    return ComponentStatus.newBuilder()
        .setNamespace("default")
        .setName("iris")
        .setComponent("predictor")
        .setRevision(rev)
        .setState(state)
        .setReason(reason)
        .setTimestampMs(t)
        .build();
  }

  @Test
  void aCanarySplitsTrafficBetweenTheTwoRevisions() {
    InferenceServiceSpec spec =
        InferenceServiceSpec.newBuilder()
            .setPredictor(predictor("new"))
            .setPreviousPredictor(predictor("old"))
            .setCanaryTrafficPercent(20)
            .build();

    JsonArray revisions =
        ModelsView.revisions(
            spec,
            List.of(
                status("old", ModelState.Ready, null, 1),
                status("new", ModelState.Loading, null, 2)));

    assertThat(revisions.getJsonObject(0).getString("revision")).isEqualTo("new");
    assertThat(revisions.getJsonObject(0).getInteger("traffic_percent")).isEqualTo(20);
    assertThat(revisions.getJsonObject(0).getString("state")).isEqualTo("Loading");
    assertThat(revisions.getJsonObject(1).getInteger("traffic_percent")).isEqualTo(80);
    assertThat(revisions.getJsonObject(1).getString("state")).isEqualTo("Ready");
  }

  @Test
  void aZeroPercentCanaryIsAShadow() {
    InferenceServiceSpec spec =
        InferenceServiceSpec.newBuilder()
            .setPredictor(predictor("new"))
            .setPreviousPredictor(predictor("old"))
            .setCanaryTrafficPercent(0)
            .build();

    JsonObject latest = ModelsView.revisions(spec, List.of()).getJsonObject(0);

    assertThat(latest.getBoolean("shadow")).isTrue();
    assertThat(latest.getInteger("traffic_percent")).isZero();
    assertThat(latest.getString("state")).isEqualTo("Unknown");
  }

  @Test
  void theReasonIsTheNewestFailingStatus() {
    String reason =
        ModelsView.reason(
            List.of(
                status("a", ModelState.Loading, null, 1),
                status("a", ModelState.FailedToLoad, "ModelLoadFailed", 5)));

    assertThat(reason).isEqualTo("FailedToLoad: ModelLoadFailed");
    assertThat(ModelsView.reason(List.of())).contains("No component");
    assertThat(ModelsView.reason(List.of(status("a", ModelState.Ready, null, 1)))).isNull();
  }

  @Test
  void theExampleRequestFillsVariableDimensionsWithOne() {
    ModelMetadata metadata =
        new ModelMetadata(
            "iris",
            "onnx",
            List.of(new ModelMetadata.TensorSpec("input", DataType.FP32, List.of(-1L, 4L))),
            List.of());

    JsonObject input = ModelsView.exampleV2(metadata).getJsonArray("inputs").getJsonObject(0);

    assertThat(input.getJsonArray("shape")).containsExactly(1L, 4L);
    assertThat(input.getJsonArray("data")).hasSize(4);
    assertThat(input.getString("datatype")).isEqualTo("FP32");
  }
}
