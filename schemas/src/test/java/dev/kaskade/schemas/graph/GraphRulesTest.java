package dev.kaskade.schemas.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GraphRulesTest {

  @Test
  void aSwitchStepWithoutAConditionBreaksTheRuleOtherRoutersDoNot() {
    assertThat(GraphRules.lacksNeededCondition("Switch", " ")).isTrue();
    assertThat(GraphRules.lacksNeededCondition("Switch", "instances[0] > 1")).isFalse();
    assertThat(GraphRules.lacksNeededCondition("Sequence", null)).isFalse();
  }

  @Test
  void conditionsOverTheLimitAndNodesWithoutStepsAreRefused() {
    assertThat(GraphRules.conditionTooLong("x".repeat(GraphRules.MAX_CONDITION_LENGTH))).isFalse();
    assertThat(GraphRules.conditionTooLong("x".repeat(GraphRules.MAX_CONDITION_LENGTH + 1)))
        .isTrue();
    assertThat(GraphRules.hasSteps(0)).isFalse();
  }
}
