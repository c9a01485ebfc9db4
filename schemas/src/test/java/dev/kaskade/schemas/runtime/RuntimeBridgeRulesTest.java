package dev.kaskade.schemas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuntimeBridgeRulesTest {

  @Test
  void openInferenceProtocolServersAreProbedOnServerHealthOthersOnTheirModel() {
    assertThat(RuntimeBridgeRules.openInferenceProtocol("GRPC-V2")).isTrue();
    assertThat(RuntimeBridgeRules.openInferenceProtocol(null)).isFalse();
    assertThat(RuntimeBridgeRules.readyPath(true, "iris")).isEqualTo("/v2/health/ready");
    assertThat(RuntimeBridgeRules.readyPath(false, "iris")).isEqualTo("/v1/models/iris");
  }
}
