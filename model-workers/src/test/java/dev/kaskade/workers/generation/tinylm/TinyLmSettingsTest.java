package dev.kaskade.workers.generation.tinylm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.workers.backend.ModelLoadException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TinyLmSettingsTest {

  @Test
  void withoutSettingsItDecodesAsFastAsItCan() throws Exception {
    TinyLmSettings s = TinyLmSettings.of(new JsonObject(), Map.of());
    assertThat(s).isEqualTo(new TinyLmSettings(64, 4, Duration.ZERO));
  }

  @Test
  void theConfigFileSetsTheTokenInterval() throws Exception {
    JsonObject config =
        new JsonObject().put("context", 32).put("max_concurrent", 16).put("token_interval_ms", 20);
    assertThat(TinyLmSettings.of(config, Map.of()))
        .isEqualTo(new TinyLmSettings(32, 16, Duration.ofMillis(20)));
  }

  @Test
  void thePredictorArgumentOverridesTheConfigFile() throws Exception {
    JsonObject config = new JsonObject().put("token_interval_ms", 20);
    TinyLmSettings s =
        TinyLmSettings.of(config, Map.of("args.token_interval_ms", "2.5", "max_concurrent", "8"));
    assertThat(s.tokenInterval()).isEqualTo(Duration.ofNanos(2_500_000));
    assertThat(s.maxConcurrent()).isEqualTo(8);
  }

  @Test
  void anIntervalThatIsNotMillisecondsIsALoadErrorNamingTheSetting() {
    for (String bad : new String[] {"fast", "-1", "NaN", "1e9", ""}) {
      assertThatThrownBy(
              () -> TinyLmSettings.of(new JsonObject(), Map.of("args.token_interval_ms", bad)))
          .as(bad)
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("token_interval_ms must be milliseconds per token")
          .hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(
            () -> TinyLmSettings.of(new JsonObject().put("token_interval_ms", "x"), Map.of()))
        .isInstanceOf(ModelLoadException.class);
  }

  @Test
  void aConcurrencyThatIsNotANumberIsALoadError() {
    assertThatThrownBy(() -> TinyLmSettings.of(new JsonObject(), Map.of("max_concurrent", "many")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("max_concurrent must be a whole number");
  }
}
