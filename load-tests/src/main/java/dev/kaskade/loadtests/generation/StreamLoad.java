package dev.kaskade.loadtests.generation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N closed-loop streaming clients; afterwards each measured stream is set against what the worker
 * reported on Kafka (its TTFT and queue time on the responses topic, the CreateTime of each of its
 * chunk events), matched by request id and by how much text had been produced / received.
 */
final class StreamLoad {
  /** The samples (ms) of one run. */
  record Result(
      Samples clientTtft,
      Samples workerTtft,
      Samples workerQueue,
      Samples ttftOverhead,
      Samples gapDifference,
      Samples transit,
      int streams,
      int errors) {}

  private StreamLoad() {}

  static Result run(
      StreamProbe probe, KafkaTimings kafka, int streams, Duration warmup, Duration duration)
      throws InterruptedException {
    Queue<StreamProbe.Timing> measured = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    long measureFrom = System.nanoTime() + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      long t0 = System.nanoTime();
                      try {
                        StreamProbe.Timing t = probe.run(next.getAndIncrement());
                        if (t0 >= measureFrom) {
                          measured.add(t);
                        }
                      } catch (Exception e) {
                        errors.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    Thread.sleep(2000); // the last answers and events reach the Kafka reader
    try (kafka) {
      return analyse(measured, kafka, errors.get());
    }
  }

  private static Result analyse(
      Queue<StreamProbe.Timing> measured, KafkaTimings kafka, int errors) {
    Result r =
        new Result(
            new Samples(),
            new Samples(),
            new Samples(),
            new Samples(),
            new Samples(),
            new Samples(),
            measured.size(),
            errors);
    for (StreamProbe.Timing t : measured) {
      double ttft = t.ttftNanos() / 1e6;
      r.clientTtft().add(ttft);
      KafkaTimings.Reported worker = kafka.reported(t.id());
      if (worker != null) {
        r.workerTtft().add(worker.ttftMs());
        r.workerQueue().add(worker.queueMs());
        r.ttftOverhead().add(ttft - worker.ttftMs());
      }
      chunks(t, kafka.produced(t.id()), r);
    }
    return r;
  }

  /** Matches received chunks to produced events by text length so far; adds their latencies. */
  private static void chunks(StreamProbe.Timing t, List<KafkaTimings.Produced> produced, Result r) {
    int j = 0;
    StreamProbe.Arrival previousArrival = null;
    KafkaTimings.Produced previousEvent = null;
    for (StreamProbe.Arrival arrival : t.arrivals()) {
      while (j < produced.size() && produced.get(j).chars() < arrival.chars()) {
        j++;
      }
      if (j == produced.size() || produced.get(j).chars() != arrival.chars()) {
        previousArrival = null; // the gateway split or merged events: no pair here
        continue;
      }
      KafkaTimings.Produced event = produced.get(j);
      r.transit().add((arrival.wallMicros() - (event.createMs() * 1000 + 500)) / 1000.0);
      if (previousArrival != null) {
        double clientGap = (arrival.wallMicros() - previousArrival.wallMicros()) / 1000.0;
        double workerGap = event.createMs() - previousEvent.createMs();
        r.gapDifference().add(clientGap - workerGap);
      }
      previousArrival = arrival;
      previousEvent = event;
    }
  }
}
