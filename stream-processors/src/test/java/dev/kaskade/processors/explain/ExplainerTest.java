package dev.kaskade.processors.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExplainerTest {
  private static final double[][] BACKGROUND = {{0, 0, 0}, {1, 2, 3}, {2, 1, 0}};
  private final AtomicInteger calls = new AtomicInteger();

  /** Two outputs per row: y0 = x0 + 2 x1 − x2, y1 = 3 x2. */
  private CompletableFuture<InferenceResponse> model(InferenceRequest batch) {
    calls.incrementAndGet();
    double[][] x = Payloads.matrix(batch.getInputs().get(0));
    double[][] y = new double[x.length][2];
    for (int i = 0; i < x.length; i++) {
      y[i][0] = x[i][0] + 2 * x[i][1] - x[i][2];
      y[i][1] = 3 * x[i][2];
    }
    return CompletableFuture.completedFuture(
        InferenceResponse.newBuilder()
            .setId(batch.getId())
            .setModel(batch.getModel())
            .setModelVersion("rev-1")
            .setOutputs(List.of(Payloads.tensor("scores", DataType.FP64, y)))
            .build());
  }

  @Test
  void shouldExplainEveryInstanceAndOutputWithOneBatchedCall() {
    InferenceRequest request = Fixtures.jsonRequest("x1", "m", "{\"instances\":[[1,1,1],[3,0,2]]}");
    ExplainerConfig config = ExplainerConfig.parse("{\"feature_names\":[\"a\",\"b\",\"c\"]}");

    Explainer.Outcome outcome = Explainer.explain(request, config, BACKGROUND, this::model).join();

    assertThat(calls.get()).isEqualTo(1);
    assertThat(outcome.error()).isNull();
    assertThat(outcome.result().getExplanations()).hasSize(4);
    assertThat(outcome.result().getModelVersion()).isEqualTo("rev-1");
    JsonNode body = Json.parse(outcome.v1Body(), "body");
    assertThat(body.path("predictions").get(1).toString()).isEqualTo("[1.0,6.0]");
    JsonNode second = body.path("explanations").get(2); // instance 1, output 0
    assertThat(second.path("instance").asInt()).isEqualTo(1);
    assertThat(second.path("output").asInt()).isEqualTo(0);
    assertThat(second.path("attributions").get(0).asDouble()).isCloseTo(3 - 1, within(1e-6));
    assertThat(second.path("attributions").get(1).asDouble()).isCloseTo(2 * (0 - 1), within(1e-6));
    assertThat(second.path("attributions").get(2).asDouble()).isCloseTo(-(2 - 1), within(1e-6));
    assertThat(second.path("base_value").asDouble()).isCloseTo(1 + 2 - 1, within(1e-6));
    assertThat(body.path("feature_names").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
  }

  @Test
  void shouldReturnTheModelsErrorWhenItRejectsTheBatch() {
    InferenceRequest request = Fixtures.request("x2", "m", new double[][] {{1, 2, 3}});
    Explainer.Outcome outcome =
        Explainer.explain(
                request,
                ExplainerConfig.defaults(),
                BACKGROUND,
                batch ->
                    CompletableFuture.completedFuture(
                        InferenceResponse.newBuilder()
                            .setId(batch.getId())
                            .setModel("m")
                            .setError(new InferenceError("INVALID_ARGUMENT", "bad input"))
                            .build()))
            .join();

    assertThat(outcome.error().getCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(outcome.result().getError().getMessage()).isEqualTo("bad input");
  }

  @Test
  void shouldFailWithoutCallingModelWhenThereIsNoBackgroundOrWidthDiffers() {
    InferenceRequest request = Fixtures.request("x3", "m", new double[][] {{1, 2}});
    assertThat(
            Explainer.explain(request, ExplainerConfig.defaults(), null, this::model)
                .join()
                .error()
                .getCode())
        .isEqualTo("UNAVAILABLE");
    assertThat(
            Explainer.explain(request, ExplainerConfig.defaults(), BACKGROUND, this::model)
                .join()
                .error()
                .getCode())
        .isEqualTo("INVALID_ARGUMENT");
    assertThat(calls.get()).isZero();
  }

  @Test
  void shouldMapTimeoutToDeadlineExceeded() {
    InferenceRequest request = Fixtures.request("x4", "m", new double[][] {{1, 2, 3}});
    Explainer.Outcome outcome =
        Explainer.explain(
                request,
                ExplainerConfig.defaults(),
                BACKGROUND,
                batch ->
                    CompletableFuture.failedFuture(
                        new KaskadeException(Reason.DEADLINE_EXCEEDED, "late")))
            .join();
    assertThat(outcome.error().getCode()).isEqualTo("DEADLINE_EXCEEDED");
  }

  @Test
  void tooManyInstancesAreRefusedAsPayloadTooLargeNamingTheSetting() {
    double[][] instances = new double[101][];
    for (int i = 0; i < instances.length; i++) {
      instances[i] = new double[] {1, 2, 3};
    }
    Explainer.Outcome outcome =
        Explainer.explain(
                Fixtures.request("x5", "m", instances),
                ExplainerConfig.defaults(),
                BACKGROUND,
                this::model,
                ExplainerLimits.defaults())
            .join();

    assertThat(outcome.error().getCode()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(outcome.error().getMessage()).contains(ExplainerLimits.MAX_INSTANCES);
    assertThat(calls.get()).isZero();
  }

  @Test
  void aBatchAboveTheRowLimitIsRefusedBeforeAnythingIsAllocated() {
    ExplainerLimits limits = new ExplainerLimits(100, 10, 8, 1, 10);
    Explainer.Outcome outcome =
        Explainer.explain(
                Fixtures.request("x6", "m", new double[][] {{1, 2, 3}}),
                ExplainerConfig.defaults(),
                BACKGROUND,
                this::model,
                limits)
            .join();

    assertThat(outcome.error().getCode()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(outcome.error().getMessage()).contains(ExplainerLimits.MAX_BATCH_ROWS);
    assertThat(calls.get()).isZero();
  }

  @Test
  void rowCountsBeyondAnIntAreRefused() {
    KernelShap.Plan plan = KernelShap.plan(20, 12, 2048, 0);
    ExplainerLimits limits = new ExplainerLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, 8, 1, 10);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Explainer.checkBatchRows(100_000, 1_000_000, plan, limits))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining(ExplainerLimits.MAX_BATCH_ROWS);
  }

  @Test
  void shouldAcceptJsonInsideStringValuesOfArtConfig() {
    ExplainerConfig config =
        ExplainerConfig.parse(
            "{\"background\":\"[[1,2],[3,4],[5,6]]\",\"background_size\":\"2\",\"feature_names\":\"[\\\"a\\\",\\\"b\\\"]\"}");
    assertThat(config.background()).hasNumberOfRows(2);
    assertThat(config.background()[1]).containsExactly(3, 4);
    assertThat(config.featureNames()).containsExactly("a", "b");
  }
}
