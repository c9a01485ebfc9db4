package dev.kaskade.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsReplyDestinationTest {
  private final Topics topics = Topics.withDefaultPrefix();

  @Test
  void gatewayAndProcessorReplyTopicsMayBeNamedByAHeader() {
    assertThat(topics.isReplyTopic(topics.gatewayReplies("gw-1"))).isTrue();
    assertThat(topics.isReplyTopic(topics.gatewayReplies("processors-ab12cd34"))).isTrue();
  }

  @Test
  void otherTopicsMayNotBeNamedByAReplyHeader() {
    assertThat(topics.isReplyTopic(null)).isFalse();
    assertThat(topics.isReplyTopic(topics.auditPayloads())).isFalse();
    assertThat(topics.isReplyTopic(topics.controlResources())).isFalse();
    assertThat(topics.isReplyTopic(topics.responses("ns", "m"))).isFalse();
    assertThat(topics.isReplyTopic("kaskade.gateway..replies")).isFalse();
    assertThat(topics.isReplyTopic("other.gateway.gw.replies")).isFalse();
    assertThat(topics.isReplyTopic("kaskade.gateway.g w.replies")).isFalse();
  }

  @Test
  void onlyPredictorResponseHopsMayBeNamedByAResponseTopicHeader() {
    assertThat(topics.isResponseTopicHeaderTarget(topics.predictorResponses("ns", "m"))).isTrue();
    assertThat(topics.isResponseTopicHeaderTarget(topics.shadowResponses("ns", "m"))).isTrue();
    assertThat(topics.isResponseTopicHeaderTarget(topics.responses("ns", "m"))).isFalse();
    assertThat(topics.isResponseTopicHeaderTarget(topics.controlStatus())).isFalse();
    assertThat(topics.isResponseTopicHeaderTarget(null)).isFalse();
  }
}
