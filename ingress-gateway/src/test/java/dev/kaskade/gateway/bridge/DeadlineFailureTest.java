package dev.kaskade.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.error.Reason;
import org.junit.jupiter.api.Test;

class DeadlineFailureTest {
  @Test
  void aRequestKafkaAcknowledgedTimedOutWaitingForTheModel() {
    var error = DeadlineFailure.of(1500, true);

    assertThat(error.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
    assertThat(error.getMessage()).isEqualTo("Deadline of 1500 ms exceeded waiting for the model.");
  }

  @Test
  void aRequestKafkaNeverAcknowledgedSaysSoAndThatARetryIsSafe() {
    var error = DeadlineFailure.of(30000, false);

    assertThat(error.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
    assertThat(error.getMessage())
        .startsWith("Deadline of 30000 ms exceeded before Kafka acknowledged the request")
        .contains("failing over")
        .contains("retry")
        .doesNotContain("model");
  }
}
