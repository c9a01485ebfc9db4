package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.gateway.http.HttpErrors;
import java.util.concurrent.atomic.AtomicLong;
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

  @Test
  void atMostOneStackTracePerIntervalWithACountOfTheOnesLeftOut() {
    AtomicLong now = new AtomicLong(1_000);
    UnexpectedFailures failures = new UnexpectedFailures(10_000, now::get);

    assertThat(failures.take()).isZero();
    for (int i = 0; i < 500; i++) {
      assertThat(failures.take()).isEqualTo(-1);
    }
    now.addAndGet(10_000);
    assertThat(failures.take()).isEqualTo(500);
    assertThat(failures.take()).isEqualTo(-1);
  }
}
