package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.gateway.http.HttpErrors;
import org.junit.jupiter.api.Test;

class UnexpectedFailuresTest {

  @Test
  void clientsGetNoInternalClassOrMessage() {
    HttpErrors.HttpError error =
        HttpErrors.of(new IllegalStateException("topic kaskade.default.secret missing"));

    assertThat(error.status()).isEqualTo(500);
    assertThat(error.message())
        .isEqualTo(UnexpectedFailures.CLIENT_MESSAGE)
        .doesNotContain("IllegalStateException")
        .doesNotContain("kaskade.default");
  }
}
