package dev.kaskade.workers.generation.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaCppSettingsTest {
  @TempDir Path dir;

  @Test
  void defaultsToOneSequenceOfTheUsualContext() throws Exception {
    LlamaCppSettings s = LlamaCppSettings.of(Map.of());
    assertThat(s.parallel()).isEqualTo(1);
    assertThat(s.totalContext()).isEqualTo(LlamaCppSettings.DEFAULT_CONTEXT);
  }

  @Test
  void sharesTheContextOverParallelSequencesAndTakesKservesMaxModelLen() throws Exception {
    LlamaCppSettings s = LlamaCppSettings.of(Map.of("parallel", "4", "max_model_len", "2048"));
    assertThat(s.parallel()).isEqualTo(4);
    assertThat(s.contextPerSequence()).isEqualTo(2048);
    assertThat(s.totalContext()).isEqualTo(8192);
  }

  @Test
  void refusesParallelOutOfBoundsNamingTheKey() {
    assertThatThrownBy(() -> LlamaCppSettings.of(Map.of("parallel", "65")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("parallel")
        .hasMessageContaining("64");
    assertThatThrownBy(() -> LlamaCppSettings.of(Map.of("threads", "many")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("threads");
  }

  @Test
  void theFactoryTakesGgufFormatsAndHuggingfaceFoldersHoldingAGgufButNotUpstreams()
      throws Exception {
    LlamaCppFactory factory = new LlamaCppFactory();
    Path withGguf = Files.createDirectories(dir.resolve("with"));
    Files.write(withGguf.resolve("model-q8_0.gguf"), new byte[] {1});
    Path without = Files.createDirectories(dir.resolve("without"));
    Files.write(without.resolve("model.safetensors"), new byte[] {1});

    assertThat(factory.accepts(source(without, "gguf", Map.of()))).isTrue();
    assertThat(factory.accepts(source(without, "llama.cpp", Map.of()))).isTrue();
    assertThat(factory.accepts(source(withGguf, "huggingface", Map.of()))).isTrue();
    assertThat(factory.accepts(source(without, "huggingface", Map.of()))).isFalse();
    assertThat(factory.accepts(source(withGguf, "onnx", Map.of()))).isFalse();
    assertThat(factory.accepts(source(withGguf, "gguf", Map.of("upstream-url", "http://h:1"))))
        .isFalse();
  }

  private static ModelSource source(Path path, String format, Map<String, String> parameters) {
    return new ModelSource("m", "1", path, format, parameters);
  }
}
