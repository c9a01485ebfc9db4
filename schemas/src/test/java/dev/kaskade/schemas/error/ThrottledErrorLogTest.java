package dev.kaskade.schemas.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledErrorLogTest {

  @Test
  void atMostOneStackTracePerIntervalWithACountOfTheOnesLeftOut() {
    AtomicLong now = new AtomicLong(1_000);
    ThrottledErrorLog failures = new ThrottledErrorLog(10_000, now::get);

    assertThat(failures.take()).isZero();
    for (int i = 0; i < 500; i++) {
      assertThat(failures.take()).isEqualTo(-1);
    }
    now.addAndGet(10_000);
    assertThat(failures.take()).isEqualTo(500);
    assertThat(failures.take()).isEqualTo(-1);
  }
}
