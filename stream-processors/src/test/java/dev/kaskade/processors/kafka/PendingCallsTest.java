package dev.kaskade.processors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.serde.AvroTrust;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingCallsTest {
  static {
    AvroTrust.install();
  }

  private final PendingCalls calls = new PendingCalls(2);

  @AfterEach
  void tearDown() {
    calls.close();
  }

  private static InferenceResponse response(String id) {
    return InferenceResponse.newBuilder().setId(id).setModel("m").build();
  }

  @Test
  void callsAboveTheCapFailAtOnceWithResourceExhausted() {
    calls.register("a", Duration.ofMinutes(1), "late");
    calls.register("b", Duration.ofMinutes(1), "late");

    CompletableFuture<InferenceResponse> third = calls.register("c", Duration.ofMinutes(1), "late");

    Assertions.assertThatThrownBy(third::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining(RequestReplyClient.MAX_IN_FLIGHT);
    assertThat(calls.size()).isEqualTo(2);
  }

  @Test
  void concurrentCallersNeverExceedTheCapAndAnEndedCallFreesItsSlot() throws Exception {
    try (PendingCalls capped = new PendingCalls(4);
        ExecutorService callers = Executors.newFixedThreadPool(8)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> admitted = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String id = "c" + i;
        admitted.add(
            callers.submit(
                () -> {
                  go.await();
                  return !capped.register(id, Duration.ofMinutes(1), "late").isDone();
                }));
      }
      go.countDown();
      int accepted = 0;
      for (Future<Boolean> f : admitted) {
        accepted += f.get() ? 1 : 0;
      }
      assertThat(accepted).isEqualTo(4);
      assertThat(capped.size()).isEqualTo(4);

      for (int i = 0; i < 200; i++) {
        capped.fail("c" + i, new IllegalStateException("gone"));
      }
      assertThat(capped.register("next", Duration.ofMinutes(1), "late").isDone())
          .as("ended calls free their slots")
          .isFalse();
    }
  }

  @Test
  void aCompletedCallLeavesNoDeadlineTimerBehind() {
    CompletableFuture<InferenceResponse> future =
        calls.register("a", Duration.ofMinutes(10), "late");

    assertThat(calls.timers()).isEqualTo(1);
    assertThat(calls.complete("a", response("a"))).isTrue();

    assertThat(future.join().getId()).isEqualTo("a");
    assertThat(calls.timers()).isZero();
    assertThat(calls.size()).isZero();
  }

  @Test
  void aMissedDeadlineFailsTheCallWithDeadlineExceeded() {
    CompletableFuture<InferenceResponse> future =
        calls.register("a", Duration.ofMillis(20), "no answer");

    Assertions.assertThatThrownBy(future::join).hasMessageContaining("no answer");
    assertThat(calls.complete("a", response("a"))).isFalse();
  }
}
