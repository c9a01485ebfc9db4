package dev.kaskade.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpTargetsTest {
  private static Optional<Target> of(String method, String path) {
    return HttpTargets.of(method, path, "ns", null, () -> "{\"model\":\"llm\"}");
  }

  @Test
  void everyProtocolsCallsMapToAVerbAndModel() {
    assertThat(of("POST", "/v1/models/iris:predict"))
        .contains(new Target(Verb.INFER, "ns", "iris"));
    assertThat(of("POST", "/v1/models/iris:explain"))
        .contains(new Target(Verb.EXPLAIN, "ns", "iris"));
    assertThat(of("GET", "/v1/models/iris")).contains(new Target(Verb.METADATA, "ns", "iris"));
    assertThat(of("POST", "/v2/models/iris/versions/r1/infer"))
        .contains(new Target(Verb.INFER, "ns", "iris"));
    assertThat(of("GET", "/v2/models/iris/ready"))
        .contains(new Target(Verb.METADATA, "ns", "iris"));
    assertThat(of("POST", "/v2/repository/models/iris/load"))
        .contains(new Target(Verb.METADATA, "ns", "iris"));
    assertThat(of("GET", "/v2/models")).contains(new Target(Verb.METADATA, "ns", null));
    assertThat(of("POST", "/openai/v1/chat/completions"))
        .contains(new Target(Verb.GENERATE, "ns", "llm"));
    assertThat(of("POST", "/v1/embeddings")).contains(new Target(Verb.GENERATE, "ns", "llm"));
    assertThat(HttpTargets.of("POST", "/", "ns", "graph", () -> ""))
        .contains(new Target(Verb.INFER, "ns", "graph"));
  }

  @Test
  void anOpenAiCallWithoutAModelNeedsARuleForAnyModel() {
    assertThat(HttpTargets.of("POST", "/v1/chat/completions", "ns", null, () -> "{}"))
        .contains(new Target(Verb.GENERATE, "ns", ""));
  }

  @Test
  void spellingsTheRouterServesAlikeNameTheSameModel() {
    Target stalled = new Target(Verb.INFER, "ns", "stalled");

    assertThat(of("POST", "/v2/models/stalled/infer/")).contains(stalled);
    assertThat(of("POST", "//v2//models/stalled/infer")).contains(stalled);
    assertThat(of("POST", "/v2/models/st%61lled/infer")).contains(stalled);
  }

  @Test
  void anUnrecognisedPathNeedsARuleForEveryModel() {
    assertThat(of("POST", "/v3/models/iris/infer")).contains(new Target(Verb.METADATA, "ns", ""));
  }

  @Test
  void serverMetadataNeedsAValidTokenOnly() {
    assertThat(of("GET", "/v2")).isEmpty();
    assertThat(HttpTargets.isHealth("/v2/health/ready")).isTrue();
    assertThat(HttpTargets.isOpenAi("/v1/chat/completions")).isTrue();
    assertThat(HttpTargets.isOpenAi("/v1/models/iris:predict")).isFalse();
  }
}
