package dev.kaskade.workers.generation.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerativeUpstreamsTest {

  @ParameterizedTest(name = "format {0} with task \"{1}\": generative = {2}")
  @CsvSource({
    "gguf, , true",
    "vllm, , true",
    "huggingface, , true",
    "huggingface, text_generation, true",
    "huggingface, sequence_classification, false",
    "huggingface, text_embedding, false",
    "sklearn, , false",
    "onnx, , false",
  })
  void formatAndTaskDecideWhetherAnUpstreamSpeaksOpenAi(
      String format, String task, boolean generative) {
    Map<String, String> parameters = task == null ? Map.of() : Map.of("args.task", task);
    assertThat(GenerativeUpstreams.isGenerative(format, parameters, null)).isEqualTo(generative);
  }

  @Test
  void protocolVersionOpenAiMakesAnyFormatGenerative() {
    assertThat(GenerativeUpstreams.isGenerative("sklearn", Map.of(), "openai")).isTrue();
    assertThat(GenerativeUpstreams.isGenerative("sklearn", Map.of(), "v2")).isFalse();
  }

  @Test
  void aPredictiveBridgeModelIsNotTakenByTheUpstreamGenerator() {
    var factory = new OpenAiUpstreamFactory();
    var predictive =
        new dev.kaskade.workers.backend.ModelSource(
            "iris",
            "r1",
            java.nio.file.Path.of("."),
            "sklearn",
            Map.of("upstream-url", "http://127.0.0.1:9"));
    var generative =
        new dev.kaskade.workers.backend.ModelSource(
            "chat",
            "r1",
            java.nio.file.Path.of("."),
            "huggingface",
            Map.of("upstream-url", "http://127.0.0.1:9"));
    assertThat(factory.accepts(predictive)).isFalse();
    assertThat(factory.accepts(generative)).isTrue();
  }
}
