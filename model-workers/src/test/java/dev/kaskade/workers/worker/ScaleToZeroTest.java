package dev.kaskade.workers.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.TrainedModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ScaleToZeroTest {
  private static final long IDLE = 1_000;

  /** A worker that records what happened to it. */
  static final class FakeWorker implements ScaleToZero.Worker {
    long lastRecordMs;
    boolean started;
    String closed;

    FakeWorker(long now) {
      lastRecordMs = now;
    }

    @Override
    public void start() {
      started = true;
    }

    @Override
    public long lastRecordMs() {
      return lastRecordMs;
    }

    @Override
    public void trainedModelsChanged(Map<String, TrainedModelSpec> models) {}

    @Override
    public void closeScaledToZero() {
      closed = "scaled-to-zero";
    }

    @Override
    public void close() {
      closed = "unloaded";
    }
  }

  private final List<FakeWorker> workers = new ArrayList<>();
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong now = new AtomicLong(10_000);
  private final ScaleToZero scaler =
      new ScaleToZero(
          "default/iris/r1",
          Map.of(),
          models -> {
            FakeWorker w = new FakeWorker(now.get());
            workers.add(w);
            return w;
          },
          lag::get,
          new ScaleToZero.Settings(IDLE, 60_000));

  @Test
  void idleWorkerWithNoLagStopsAsScaledToZeroAndWaitingRequestsStartANewOne() throws Exception {
    scaler.start();
    assertThat(workers).hasSize(1);
    assertThat(workers.get(0).started).isTrue();

    scaler.step(now.addAndGet(IDLE - 1));
    assertThat(scaler.awake()).as("not idle long enough").isTrue();

    scaler.step(now.addAndGet(1));
    assertThat(scaler.awake()).isFalse();
    assertThat(workers.get(0).closed).isEqualTo("scaled-to-zero");

    scaler.step(now.addAndGet(5_000));
    assertThat(workers).as("nothing waits: stays asleep").hasSize(1);

    lag.set(3);
    scaler.step(now.addAndGet(10));
    assertThat(scaler.awake()).isTrue();
    assertThat(workers).hasSize(2);
    assertThat(workers.get(1).started).isTrue();
    scaler.close();
  }

  @Test
  void idleWorkerWithRequestsStillWaitingKeepsRunning() throws Exception {
    scaler.start();
    lag.set(1);
    scaler.step(now.addAndGet(IDLE * 10));
    assertThat(scaler.awake()).isTrue();
    scaler.close();
  }

  @Test
  void recentRequestKeepsTheWorkerRunning() throws Exception {
    scaler.start();
    workers.get(0).lastRecordMs = now.addAndGet(IDLE);
    scaler.step(now.addAndGet(IDLE / 2));
    assertThat(scaler.awake()).isTrue();
    scaler.close();
  }

  @Test
  void removedRevisionUnloadsAndProcessShutdownLeavesItScaledToZero() {
    scaler.start();
    scaler.close();
    assertThat(workers.get(0).closed).isEqualTo("unloaded");

    ScaleToZero other =
        new ScaleToZero(
            "default/iris/r2",
            Map.of(),
            models -> {
              FakeWorker w = new FakeWorker(now.get());
              workers.add(w);
              return w;
            },
            lag::get,
            new ScaleToZero.Settings(IDLE, 60_000));
    other.start();
    other.closeScaledToZero();
    assertThat(workers.get(1).closed).isEqualTo("scaled-to-zero");
  }

  @Test
  void lagIsEndMinusCommittedPerPartitionWithUncommittedPartitionsFromZero() {
    TopicPartition p0 = new TopicPartition("t", 0);
    TopicPartition p1 = new TopicPartition("t", 1);
    assertThat(GroupLag.lag(Map.of(p0, 10L, p1, 4L), Map.of(p0, new OffsetAndMetadata(7))))
        .isEqualTo(3 + 4);
    assertThat(GroupLag.lag(Map.of(p0, 10L), Map.of(p0, new OffsetAndMetadata(10)))).isZero();
  }

  @Test
  void settingsMustBePositive() {
    assertThatThrownBy(() -> new ScaleToZero.Settings(0, 100))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
