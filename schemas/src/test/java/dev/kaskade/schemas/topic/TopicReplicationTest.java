package dev.kaskade.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicReplicationTest {

  @Test
  void followsTheBrokerCountUpToThreeReplicasWithTwoInSync() {
    assertThat(TopicReplication.forBrokers(1)).isEqualTo(new TopicReplication((short) 1, 1));
    assertThat(TopicReplication.forBrokers(2)).isEqualTo(new TopicReplication((short) 2, 1));
    assertThat(TopicReplication.forBrokers(3)).isEqualTo(new TopicReplication((short) 3, 2));
    assertThat(TopicReplication.forBrokers(9)).isEqualTo(new TopicReplication((short) 3, 2));
  }

  @Test
  void operatorSettingsOverrideWhatTheClusterSuggests() {
    assertThat(TopicReplication.resolve(6, (short) 5, null))
        .isEqualTo(new TopicReplication((short) 5, 2));
    assertThat(TopicReplication.resolve(3, null, 1)).isEqualTo(new TopicReplication((short) 3, 1));
    assertThat(TopicReplication.resolve(1, null, null)).isEqualTo(TopicReplication.single());
  }

  @Test
  void refusesMoreInSyncReplicasThanReplicas() {
    assertThatThrownBy(() -> TopicReplication.resolve(1, null, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min.insync.replicas");
  }
}
