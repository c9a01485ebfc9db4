package dev.kaskade.schemas.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasonTest {

  @Test
  void mapsEveryHttpStatusBackToTheReasonThatProducesIt() {
    for (Reason reason : Reason.values()) {
      Reason back = Reason.fromHttpStatus(reason.httpStatus());
      assertThat(back.httpStatus()).isEqualTo(reason.httpStatus());
    }
    assertThat(Reason.fromHttpStatus(400)).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(Reason.fromHttpStatus(503)).isEqualTo(Reason.UNAVAILABLE);
    assertThat(Reason.fromHttpStatus(418)).isEqualTo(Reason.INTERNAL);
  }

  @Test
  void unknownInferenceErrorCodesBecomeInternal() {
    assertThat(Reason.fromCode("NOT_FOUND")).isEqualTo(Reason.NOT_FOUND);
    assertThat(Reason.fromCode("NOPE")).isEqualTo(Reason.INTERNAL);
    assertThat(Reason.fromCode(null)).isEqualTo(Reason.INTERNAL);
  }
}
