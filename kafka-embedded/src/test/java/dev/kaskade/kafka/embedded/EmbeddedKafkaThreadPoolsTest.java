package dev.kaskade.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaThreadPoolsTest {

  @Test
  void aTwoCoreMachineGetsTwoRequestHandlersAndOneNetworkThread() {
    assertThat(EmbeddedKafka.threadPools(2))
        .containsEntry("num.io.threads", "2")
        .containsEntry("num.network.threads", "1")
        .containsEntry("background.threads", "2")
        .containsEntry("group.coordinator.threads", "1");
  }

  @Test
  void aLargeMachineKeepsKafkasDefaultsAsTheCeiling() {
    assertThat(EmbeddedKafka.threadPools(64))
        .containsEntry("num.io.threads", "8")
        .containsEntry("num.network.threads", "3")
        .containsEntry("background.threads", "10")
        .containsEntry("group.coordinator.threads", "4");
  }

  @Test
  void oneCoreStillGetsTwoRequestHandlers() {
    assertThat(EmbeddedKafka.threadPools(1))
        .containsEntry("num.io.threads", "2")
        .containsEntry("num.network.threads", "1");
  }
}
