package dev.kaskade.loadtests.kafka;

import dev.kaskade.loadtests.harness.LatencyRecorder;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.BenchReport;
import dev.kaskade.loadtests.workers.Testbed;
import dev.kaskade.schemas.kafka.ClientConfigs;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The floor under every synchronous path: the latency of a Kafka round trip with the platform's
 * client settings (ClientConfigs) and the embedded broker, with no Kaskade code in it. A client
 * produces to {@code hop.a}; an echo thread (standing in for a worker) consumes it and produces the
 * same bytes to {@code hop.b}; the client consumes {@code hop.b}. Open loop at a fixed rate.
 */
public final class KafkaHopBenchmark {
  private KafkaHopBenchmark() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    int rate = args.integer("rate", 100);
    Duration duration = args.duration("duration", Duration.ofSeconds(15));
    Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
    try (Testbed bed = Testbed.start(Map.of())) {
      String bootstrap = bed.bootstrap();
      LatencyRecorder roundTrip = measure(bootstrap, rate, warmup, duration);
      String command =
          "./mvnw -q -B -pl load-tests compile exec:java"
              + " -Dexec.mainClass=dev.kaskade.loadtests.kafka.KafkaHopBenchmark -Dexec.args=\""
              + String.join(" ", argv)
              + "\"";
      new BenchReport("Kafka round trip floor: client → topic → echo → topic → client", command)
          .setting("load", "open loop " + rate + " msg/s, " + duration.toSeconds() + " s, 64 B")
          .setting(
              "clients",
              "ClientConfigs (with -D overrides): acks="
                  + producerConfig(bootstrap).get("acks")
                  + ", idempotent, linger.ms="
                  + producerConfig(bootstrap).get("linger.ms")
                  + ", fetch.max.wait.ms="
                  + consumerConfig(bootstrap, null).get("fetch.max.wait.ms"))
          .setting("broker", "EmbeddedKafka (1 node, same JVM), topics with 2 partitions")
          .columns("path", "n", "p50 ms", "p90 ms", "p99 ms", "max ms")
          .row(
              "round trip (2 hops)",
              roundTrip.count(),
              BenchReport.fmt(roundTrip.millis(50)),
              BenchReport.fmt(roundTrip.millis(90)),
              BenchReport.fmt(roundTrip.millis(99)),
              BenchReport.fmt(roundTrip.maxMillis()))
          .publish();
    }
  }

  /**
   * Measures the two-hop round trip on the broker at {@code bootstrap} (topics {@code hop.a} and
   * {@code hop.b} are created when missing): open loop at {@code rate} msg/s, {@code warmup}
   * discarded, then {@code duration} recorded.
   */
  public static LatencyRecorder measure(
      String bootstrap, int rate, Duration warmup, Duration duration) throws Exception {
    createTopics(bootstrap);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread echo = Thread.ofPlatform().daemon().start(() -> echo(bootstrap, running));
    LatencyRecorder roundTrip = new LatencyRecorder();
    // only messages sent in [from, until) count: a backlog left from the warm-up must not
    AtomicLong from = new AtomicLong(Long.MAX_VALUE);
    AtomicLong until = new AtomicLong(Long.MAX_VALUE);
    AtomicBoolean echoed = new AtomicBoolean(false);
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(() -> read(bootstrap, running, from, until, echoed, roundTrip));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      // the echo's group join can take seconds on a busy machine: warm up only once it answers
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!echoed.get() && System.nanoTime() < deadline) {
        run(producer, rate, Duration.ofMillis(200));
      }
      run(producer, rate, warmup);
      from.set(System.nanoTime());
      long sent = run(producer, rate, duration);
      until.set(System.nanoTime());
      long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (roundTrip.count() < sent && System.nanoTime() < waitUntil) {
        Thread.sleep(50);
      }
    }
    running.set(false);
    echo.join(2000);
    reader.join(2000);
    return roundTrip;
  }

  static void createTopics(String bootstrap) throws Exception {
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      if (admin.listTopics().names().get().contains("hop.a")) {
        return;
      }
      admin
          .createTopics(
              List.of(new NewTopic("hop.a", 2, (short) 1), new NewTopic("hop.b", 2, (short) 1)))
          .all()
          .get();
    }
  }

  /** ClientConfigs, with {@code -Dproducer.X=V} overrides for experiments. */
  static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> config = ClientConfigs.producer(bootstrap, 1 << 20);
    overrides("producer.", config);
    return config;
  }

  /** ClientConfigs, with {@code -Dconsumer.X=V} overrides for experiments. */
  static Map<String, Object> consumerConfig(String bootstrap, String group) {
    Map<String, Object> config = ClientConfigs.consumer(bootstrap, group, 1 << 20);
    overrides("consumer.", config);
    return config;
  }

  private static void overrides(String prefix, Map<String, Object> config) {
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith(prefix)) {
                config.put(k.toString().substring(prefix.length()), v.toString());
              }
            });
  }

  /** Sends at {@code rate} for {@code duration}; returns how many were sent. */
  private static long run(KafkaProducer<String, byte[]> producer, int rate, Duration duration)
      throws InterruptedException {
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long next = start;
    int i = 0;
    while (next < end) {
      long now = System.nanoTime();
      if (now < next) {
        TimeUnit.NANOSECONDS.sleep(next - now);
      }
      // the intended send time, as OpenLoop measures: a stalled sender shows in the latency
      byte[] value = ByteBuffer.allocate(64).putLong(next).array();
      producer.send(new ProducerRecord<>("hop.a", Integer.toString(i++), value));
      next += interval;
    }
    return i;
  }

  static void echo(String bootstrap, AtomicBoolean running) {
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(consumerConfig(bootstrap, "hop-echo"));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      consumer.subscribe(List.of("hop.a"));
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          producer.send(new ProducerRecord<>("hop.b", r.key(), r.value()));
        }
        consumer.commitAsync();
      }
    }
  }

  private static void read(
      String bootstrap,
      AtomicBoolean running,
      AtomicLong from,
      AtomicLong until,
      AtomicBoolean echoed,
      LatencyRecorder rec) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(consumerConfig(bootstrap, null))) {
      List<TopicPartition> parts =
          List.of(new TopicPartition("hop.b", 0), new TopicPartition("hop.b", 1));
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long sent = ByteBuffer.wrap(r.value()).getLong();
          echoed.set(true);
          if (sent >= from.get() && sent < until.get()) {
            rec.record(System.nanoTime() - sent);
          }
        }
      }
    }
  }
}
