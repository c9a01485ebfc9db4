package dev.kaskade.processors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.topic.Topics;
import org.junit.jupiter.api.Test;

class ModelTopicTest {
  private final Topics topics = Topics.withDefaultPrefix();

  @Test
  void parsesRevisionHopsOnly() {
    String hop = topics.predictor("ns", "iris", "iris-predictor-1");
    assertThat(ModelTopic.parsePredictor(topics, hop)).contains(new ModelTopic("ns", "iris"));
    assertThat(topics.predictorPattern().matcher(hop).matches()).isTrue();
    for (String other :
        new String[] {
          topics.requests("ns", "iris"),
          topics.predictorResponses("ns", "iris"),
          topics.graphRequests("ns", "g"),
          "other.ns.iris.predictor.r1"
        }) {
      assertThat(ModelTopic.parsePredictor(topics, other)).as(other).isEmpty();
      assertThat(topics.predictorPattern().matcher(other).matches()).as(other).isFalse();
    }
  }
}
