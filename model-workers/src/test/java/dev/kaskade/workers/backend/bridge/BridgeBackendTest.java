package dev.kaskade.workers.backend.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.testing.OipGrpcTestServer;
import dev.kaskade.workers.testing.OipTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge against a real model server on a local port (KServe V1 and OIP REST). */
class BridgeBackendTest {
  private static final Tensor TWO_ROWS =
      Tensors.ofFloats("input-0", List.of(2L, 2L), new float[] {1, 2, 3, 4});

  private final OipTestServer server = OipTestServer.start();
  private LoadedModel model;

  @AfterEach
  void stop() {
    if (model != null) {
      model.close();
    }
    server.close();
  }

  private LoadedModel load(String protocol, Map<String, String> extra) throws ModelLoadException {
    Map<String, String> parameters = new java.util.HashMap<>(extra);
    parameters.put(Upstream.URL, server.url());
    parameters.putIfAbsent(Upstream.HEALTH_INTERVAL_MS, "50");
    model = BridgeBackend.load(Upstream.of("iris", parameters, protocol, null).orElseThrow());
    return model;
  }

  @Test
  void answersWithTheServersV2Outputs() throws Exception {
    List<Tensor> out = load("v2", Map.of()).infer(List.of(TWO_ROWS), Set.of(), 0);
    assertThat(out.get(0).getName()).isEqualTo("sum");
    assertThat(Tensors.toDoubles(out.get(0))).containsExactly(3, 7);
    assertThat(model.metadata().inputs()).isEmpty();
    assertThat(model.ready()).isTrue();
  }

  @Test
  void answersWithTheServersV1Predictions() throws Exception {
    List<Tensor> out = load("v1", Map.of()).infer(List.of(TWO_ROWS), Set.of(), 0);
    assertThat(out.get(0).getName()).isEqualTo("predictions");
    assertThat(out.get(0).getShape()).containsExactly(2L);
    assertThat(Tensors.toDoubles(out.get(0))).containsExactly(3, 7);
  }

  @Test
  void aServer4xxIsTheCallersFaultWithTheServersMessage() throws Exception {
    Tensor negative = Tensors.ofFloats("input-0", List.of(1L, 2L), new float[] {-5, 1});
    assertThatThrownBy(() -> load("v2", Map.of()).infer(List.of(negative), Set.of(), 0))
        .isInstanceOfSatisfying(
            KaskadeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
        .hasMessageContaining("answered 400: negative value in input");
  }

  @Test
  void aServer5xxIsUnavailable() throws Exception {
    load("v1", Map.of());
    server.failWith(500);
    assertThatThrownBy(() -> model.infer(List.of(TWO_ROWS), Set.of(), 0))
        .isInstanceOfSatisfying(
            KaskadeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("answered 500: injected failure");
  }

  @Test
  void aSlowServerNeverHoldsACallPastItsDeadline() throws Exception {
    load("v2", Map.of());
    // The server answers far later than both the deadline and the bound below, so the bound has
    // plenty of headroom for a loaded machine and still proves the deadline is what ended the call.
    server.delayMs(30_000);
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> model.infer(List.of(TWO_ROWS), Set.of(), System.currentTimeMillis() + 300))
        .isInstanceOfSatisfying(
            KaskadeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("did not answer within");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .as("a call with a 300 ms deadline took %d ms", took.toMillis())
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aDeadServerIsUnavailableAndNotReadyUntilItComesBack() throws Exception {
    load("v2", Map.of());
    server.stop();
    assertThatThrownBy(() -> model.infer(List.of(TWO_ROWS), Set.of(), 0))
        .isInstanceOfSatisfying(
            KaskadeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("cannot be reached");
    assertThat(model.ready()).isFalse();

    server.restart();
    await().atMost(Duration.ofSeconds(30)).until(model::ready);
    assertThat(Tensors.toDoubles(model.infer(List.of(TWO_ROWS), Set.of(), 0).get(0)))
        .containsExactly(3, 7);
  }

  @Test
  void loadingWaitsForTheServerAndGivesUpAfterTheLoadTimeout() {
    server.stop();
    long start = System.nanoTime();
    assertThatThrownBy(() -> load("v1", Map.of(Upstream.LOAD_TIMEOUT_MS, "300")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("not ready at /v1/models/iris after 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
  }

  @Test
  void speaksOipGrpcToAGrpcUpstreamWithTheSameErrorsAndHealth() throws Exception {
    try (OipGrpcTestServer grpc = OipGrpcTestServer.start()) {
      LoadedModel bridged =
          BridgeBackend.load(
              Upstream.of(
                      "iris",
                      Map.of(Upstream.URL, grpc.url(), Upstream.HEALTH_INTERVAL_MS, "50"),
                      "grpc-v2",
                      null)
                  .orElseThrow());
      try {
        List<Tensor> out = bridged.infer(List.of(TWO_ROWS), Set.of(), 0);
        assertThat(out.get(0).getName()).isEqualTo("sum");
        assertThat(Tensors.toDoubles(out.get(0))).containsExactly(3, 7);
        Tensor negative = Tensors.ofFloats("input-0", List.of(1L, 2L), new float[] {-5, 1});
        assertThatThrownBy(() -> bridged.infer(List.of(negative), Set.of(), 0))
            .isInstanceOfSatisfying(
                KaskadeException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
            .hasMessageContaining("negative value in input");

        grpc.stop();
        assertThatThrownBy(() -> bridged.infer(List.of(TWO_ROWS), Set.of(), 0))
            .isInstanceOfSatisfying(
                KaskadeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
        await().atMost(Duration.ofSeconds(30)).until(() -> !bridged.ready());
        grpc.restart();
        await().atMost(Duration.ofSeconds(30)).until(bridged::ready);
        assertThat(Tensors.toDoubles(bridged.infer(List.of(TWO_ROWS), Set.of(), 0).get(0)))
            .containsExactly(3, 7);
      } finally {
        bridged.close();
      }
      assertThat(SharedVertx.users()).as("the shared Vert.x is given back on close").isZero();
    }
  }
}
