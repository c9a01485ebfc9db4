package dev.kaskade.schemas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void findsADottedKeyGivenInEnvironmentForm() {
    Settings settings =
        Settings.of(Map.of("GATEWAY_HTTP_PORT", "9000", "RECONCILER_WORKER_IMAGE", "img"));

    assertThat(settings.get("gateway.http.port")).isEqualTo("9000");
    assertThat(settings.get("reconciler.worker-image")).isEqualTo("img");
    assertThat(settings.getOrDefault("gateway.grpc.port", "8081")).isEqualTo("8081");
    assertThat(settings.containsKey("gateway.grpc.port")).isFalse();
  }

  @Test
  void anExactKeyWinsOverItsEnvironmentForm() {
    Settings settings = Settings.of(Map.of("gateway.http.port", "1", "GATEWAY_HTTP_PORT", "2"));

    assertThat(settings.get("gateway.http.port")).isEqualTo("1");
  }

  @Test
  void envNameReplacesEveryNonAlphanumericCharacterWithUnderscore() {
    assertThat(Settings.envName("worker.inference-services"))
        .isEqualTo("WORKER_INFERENCE_SERVICES");
  }
}
