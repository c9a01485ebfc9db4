package dev.kaskade.workers.generation.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.workers.backend.ModelLoadException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamSettingsTest {

  @Test
  void readsTheBridgeAnnotationsWithGenerationDefaults() throws Exception {
    UpstreamSettings s =
        UpstreamSettings.of(Map.of("upstream-url", "http://vllm:8000/"), name -> null);
    assertThat(s.base().toString()).isEqualTo("http://vllm:8000");
    assertThat(s.parallel()).isEqualTo(UpstreamSettings.DEFAULT_PARALLEL);
    assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.upstreamModel("asked")).isEqualTo("asked");
    assertThat(s.apiKey()).isNull();
  }

  @Test
  void mapsTheModelNameTakesParallelAndReadsTheKeyFromTheNamedVariableOnly() throws Exception {
    UpstreamSettings s =
        UpstreamSettings.of(
            Map.of(
                "upstream-url", "https://api.example.com",
                "upstream-model", "gpt-4o-mini",
                "parallel", "8",
                "upstream-api-key-env", "OPENAI_API_KEY"),
            name -> name.equals("OPENAI_API_KEY") ? "sk-secret" : null);
    assertThat(s.upstreamModel("asked")).isEqualTo("gpt-4o-mini");
    assertThat(s.parallel()).isEqualTo(8);
    assertThat(s.apiKey()).isEqualTo("sk-secret");
    assertThat(s.toString()).doesNotContain("sk-secret");
  }

  @Test
  void refusesGrpcOrMalformedUrlsAndBadNumbersNamingTheKey() {
    assertThatThrownBy(() -> UpstreamSettings.of(Map.of("upstream-url", "grpc://h:1"), n -> null))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("OpenAI-compatible");
    assertThatThrownBy(
            () ->
                UpstreamSettings.of(
                    Map.of("upstream-url", "http://h:1", "parallel", "0"), n -> null))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("parallel");
  }
}
