package dev.kaskade.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.gateway.GatewayConfig;
import dev.kaskade.gateway.route.ModelMetadata;
import dev.kaskade.gateway.route.Route;
import org.junit.jupiter.api.Test;

class InferenceDispatcherTest {
  private static final InferenceDispatcher DISPATCHER =
      new InferenceDispatcher(
          null, null, 60_000, new GatewayConfig.RequestLimits(1000, 16, 256, 1 << 20));

  private static Route route(long timeoutMs) {
    return new Route("default", "m", "t", "", ModelMetadata.empty("m"), timeoutMs, false);
  }

  private static InferenceDispatcher.Options caller(long timeoutMs) {
    return new InferenceDispatcher.Options("v2", null, timeoutMs, null);
  }

  @Test
  void theCallersDeadlineIsCappedAtTheModelsTimeout() {
    assertThat(DISPATCHER.timeoutMs(route(5_000), caller(3_600_000))).isEqualTo(5_000);
    assertThat(DISPATCHER.timeoutMs(route(5_000), caller(200))).isEqualTo(200);
  }

  @Test
  void withoutAModelTimeoutTheGatewayDefaultIsTheCeiling() {
    assertThat(DISPATCHER.timeoutMs(route(0), caller(Long.MAX_VALUE))).isEqualTo(60_000);
    assertThat(DISPATCHER.timeoutMs(route(0), caller(0))).isEqualTo(60_000);
    assertThat(DISPATCHER.timeoutMs(route(0), caller(100))).isEqualTo(100);
  }
}
