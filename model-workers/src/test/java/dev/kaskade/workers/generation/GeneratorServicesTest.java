package dev.kaskade.workers.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.workers.backend.ModelSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GeneratorServicesTest {

  @Test
  void theServiceFileRegistersTheUpstreamBeforeLlamaCppSoAnUpstreamUrlWins() {
    List<GeneratorFactory> factories =
        ServiceLoader.load(GeneratorFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    List<String> names = factories.stream().map(GeneratorFactory::name).toList();
    assertThat(names).containsSubsequence("openai-upstream", "llama.cpp");

    ModelSource proxied =
        new ModelSource("m", "1", Path.of("."), "gguf", Map.of("upstream-url", "http://vllm:8000"));
    assertThat(factories.stream().filter(f -> f.accepts(proxied)).findFirst())
        .get()
        .extracting(GeneratorFactory::name)
        .isEqualTo("openai-upstream");
  }
}
