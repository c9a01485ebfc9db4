package dev.kaskade.workers.generation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamOnlyFieldsTest {
  private static GenerationSpec spec(String body) {
    return new GenerationSpec(
        GenerationSpec.Api.CHAT, "m", null, List.of(), 4, 0, 1, null, List.of(), body, 0);
  }

  @Test
  void toolsAreRejectedWithA400NamingTheFieldAndTheWayOut() {
    assertThatThrownBy(
            () ->
                UpstreamOnlyFields.reject(
                    "tiny-lm",
                    spec("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}")))
        .isInstanceOfSatisfying(
            GenerationException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(400);
              org.assertj.core.api.Assertions.assertThat(e.type())
                  .isEqualTo("invalid_request_error");
            })
        .hasMessageContaining("'tools'")
        .hasMessageContaining("tiny-lm")
        .hasMessageContaining("kaskade.dev/upstream-url");
    assertThatThrownBy(
            () -> UpstreamOnlyFields.reject("llama.cpp", spec("{\"tool_choice\":\"auto\"}")))
        .hasMessageContaining("'tool_choice'");
    assertThatThrownBy(
            () ->
                UpstreamOnlyFields.reject("llama.cpp", spec("{\"functions\":[{\"name\":\"f\"}]}")))
        .hasMessageContaining("'functions'");
  }

  @Test
  void absentEmptyOrNoneAskForNothing() {
    for (String body :
        List.of("{}", "", "{\"tools\":[]}", "{\"tool_choice\":\"none\"}", "{\"tools\":null}")) {
      assertThatCode(() -> UpstreamOnlyFields.reject("tiny-lm", spec(body)))
          .as(body)
          .doesNotThrowAnyException();
    }
  }
}
