package dev.kaskade.workers.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.workers.backend.onnx.OnnxBackend;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendRegistryTest {

  @Test
  void shouldFindOnnxBackendThroughServiceLoaderWhenFormatCaseDiffers() throws Exception {
    BackendRegistry registry = BackendRegistry.load();
    assertThat(registry.forFormat("ONNX")).isInstanceOf(OnnxBackend.class);
    assertThat(registry.formats()).contains("onnx");
    assertThat(registry.byName("onnxruntime")).isInstanceOf(OnnxBackend.class);
  }

  @Test
  void shouldFindTheNativeTabularBackendsThroughServiceLoader() {
    assertThat(BackendRegistry.load().formats())
        .contains("lightgbm", "onnx", "pmml", "sklearn", "xgboost");
  }

  @Test
  void shouldListKnownFormatsWhenFormatUnsupported() {
    BackendRegistry registry = BackendRegistry.load();
    assertThatThrownBy(() -> registry.forFormat("tensorflow"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("unsupported model format 'tensorflow'")
        .hasMessageContaining("onnx")
        .hasMessageContaining("kaskade.dev/upstream-url");
    assertThatThrownBy(() -> registry.byName("nope"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("onnxruntime");
  }

  @Test
  void shouldSkipUnavailableBackendAndReportItsReasonWhenNoneAvailable() throws Exception {
    ModelBackend broken = new Stub("gpu-only", false);
    ModelBackend working = new Stub("cpu", true);
    assertThat(new BackendRegistry(List.of(broken, working)).forFormat("fmt")).isSameAs(working);
    assertThatThrownBy(() -> new BackendRegistry(List.of(broken)).forFormat("fmt"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("gpu-only: no GPU here");
  }

  private record Stub(String name, boolean available) implements ModelBackend {
    @Override
    public Set<String> formats() {
      return Set.of("fmt");
    }

    @Override
    public Availability availability() {
      return available ? Availability.AVAILABLE : Availability.unavailable("no GPU here");
    }

    @Override
    public LoadedModel load(ModelSource source) {
      throw new UnsupportedOperationException();
    }
  }
}
