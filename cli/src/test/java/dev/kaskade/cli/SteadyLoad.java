package dev.kaskade.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Closed-loop clients calling iris through gateways, each client pinned to one gateway, every call
 * with a Kaskade deadline; records each call for the failure tests' assertions and figures.
 */
final class SteadyLoad implements AutoCloseable {
  static final int TIMED_OUT = 504;
  static final int NO_ANSWER = -1;

  /** One call: gateway port, when sent and done (nanoTime), the HTTP status or -1 (no answer). */
  record Call(String id, int gateway, long sent, long done, int status) {
    long millis() {
      return (done - sent) / 1_000_000;
    }

    boolean answered() {
      return status == 200;
    }
  }

  private final IrisClient iris = new IrisClient();
  private final Collection<Call> calls = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private final List<Thread> clients = new ArrayList<>();
  private final Duration deadline;

  /** Starts {@code clientsPerGateway} clients on each gateway; ids are {@code prefix-n}. */
  SteadyLoad(String prefix, int[] gateways, int clientsPerGateway, Duration deadline) {
    this.deadline = deadline;
    AtomicInteger next = new AtomicInteger();
    for (int gateway : gateways) {
      for (int c = 0; c < clientsPerGateway; c++) {
        clients.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (loading.get()) {
                        calls.add(call(prefix + "-" + next.getAndIncrement(), gateway));
                      }
                    }));
      }
    }
  }

  private Call call(String id, int port) {
    long sent = System.nanoTime();
    int status;
    try {
      status = iris.infer(port, id, deadline.plusSeconds(5), deadline).statusCode();
    } catch (Exception e) {
      status = NO_ANSWER; // connection refused or reset, or no answer by deadline + 5 s
    }
    return new Call(id, port, sent, System.nanoTime(), status);
  }

  long answeredCount() {
    return calls.stream().filter(Call::answered).count();
  }

  /** Stops the clients and waits for their last calls. */
  List<Call> stop() throws InterruptedException {
    loading.set(false);
    for (Thread client : clients) {
      client.join();
    }
    return List.copyOf(calls);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  static List<String> answeredIds(Collection<Call> calls) {
    return calls.stream().filter(Call::answered).map(Call::id).toList();
  }

  /** Median latency of the answered calls sent before {@code nanoTime}. */
  static long medianMillisBefore(Collection<Call> calls, long nanoTime) {
    List<Long> ms =
        calls.stream()
            .filter(c -> c.answered() && c.done() < nanoTime)
            .map(Call::millis)
            .sorted()
            .collect(Collectors.toList());
    return ms.isEmpty() ? 0 : ms.get(ms.size() / 2);
  }
}
