package dev.kaskade.workers.backend.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.bridge.Upstream.Protocol;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamTest {

  @Test
  void noUrlAnywhereMeansNoBridge() throws Exception {
    assertThat(Upstream.of("iris", Map.of(), "v2", null)).isEmpty();
    assertThat(Upstream.of("iris", Map.of(), "v2", " ")).isEmpty();
  }

  @Test
  void theAnnotationWinsOverTheWorkerDefaultAndNamesTheModelAfterTheIsvc() throws Exception {
    Upstream up =
        Upstream.of(
                "iris", Map.of(Upstream.URL, "http://host:8080/"), "v1", "http://localhost:9000")
            .orElseThrow();
    assertThat(up.base().toString()).isEqualTo("http://host:8080");
    assertThat(up.model()).isEqualTo("iris");
    assertThat(up.protocol()).isEqualTo(Protocol.V1);
    assertThat(up.readyPath()).isEqualTo("/v1/models/iris");
    assertThat(up.inferPath()).isEqualTo("/v1/models/iris:predict");
  }

  @Test
  void upstreamModelAndTimingsComeFromParameters() throws Exception {
    Upstream up =
        Upstream.of(
                "iris",
                Map.of(
                    Upstream.MODEL, "sklearn-iris",
                    Upstream.HEALTH_INTERVAL_MS, "250",
                    Upstream.CALL_TIMEOUT_MS, "1500"),
                "v2",
                "http://localhost:8080")
            .orElseThrow();
    assertThat(up.model()).isEqualTo("sklearn-iris");
    assertThat(up.protocol()).isEqualTo(Protocol.V2);
    assertThat(up.inferPath()).isEqualTo("/v2/models/sklearn-iris/infer");
    assertThat(up.readyPath()).isEqualTo("/v2/health/ready");
    assertThat(up.healthInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(up.callTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void protocolFollowsSchemeThenProtocolVersion() {
    assertThat(Upstream.protocol("grpc", "v1")).isEqualTo(Protocol.GRPC_V2);
    assertThat(Upstream.protocol("http", "grpc-v2")).isEqualTo(Protocol.V2);
    assertThat(Upstream.protocol("http", "v2")).isEqualTo(Protocol.V2);
    assertThat(Upstream.protocol("https", null)).isEqualTo(Protocol.V1);
  }

  @Test
  void rejectsOtherSchemesAndBadNumbers() {
    assertThatThrownBy(() -> Upstream.of("m", Map.of(Upstream.URL, "ftp://x"), "v1", null))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("http://, https:// or grpc://");
    assertThatThrownBy(
            () ->
                Upstream.of(
                    "m",
                    Map.of(Upstream.URL, "http://x", Upstream.CALL_TIMEOUT_MS, "soon"),
                    "v1",
                    null))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(Upstream.CALL_TIMEOUT_MS);
  }
}
