package dev.kaskade.processors.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightTest {
  private static final Executor DIRECT = Runnable::run;

  @Test
  void aPermitIsHeldUntilTheWorkEndsNotUntilTheCallersTimeout() throws Exception {
    InFlight inFlight = new InFlight(1);
    CompletableFuture<String> model = new CompletableFuture<>();

    CompletableFuture<String> running = inFlight.start(DIRECT, () -> model);
    CompletableFuture<String> caller = running.copy().orTimeout(10, TimeUnit.MILLISECONDS);
    assertThat(caller).failsWithin(5, TimeUnit.SECONDS);

    assertThat(inFlight.available()).isZero();
    assertThat(inFlight.start(DIRECT, () -> model)).as("the cap holds").isNull();
    model.complete("done");
    assertThat(inFlight.available()).isEqualTo(1);
  }

  @Test
  void aRefusedSubmissionReturnsItsPermit() {
    InFlight inFlight = new InFlight(1);
    Executor shutDown =
        r -> {
          throw new RejectedExecutionException("pool closed");
        };

    assertThatThrownBy(() -> inFlight.start(shutDown, () -> new CompletableFuture<String>()))
        .isInstanceOf(RejectedExecutionException.class);
    assertThat(inFlight.available()).isEqualTo(1);
  }
}
