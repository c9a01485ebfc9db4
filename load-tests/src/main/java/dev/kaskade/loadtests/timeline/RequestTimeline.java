package dev.kaskade.loadtests.timeline;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kaskade.loadtests.harness.MachineInfo;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.BenchReport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the time of one synchronous call goes in a running Kaskade, read from outside as a plain
 * client would: {@code --samples} calls, one at a time and {@code --pause} apart, on one raw
 * keep-alive socket; then every record those calls left on any topic (found by the request id in
 * the record key, changelog keys included), as milliseconds after the send by the record's
 * CreateTime. CreateTime is when the writer called {@code send}, truncated to the millisecond, on
 * the same clock as the client (same host).
 *
 * <p>The body's {@code {{id}}} is replaced by a fresh request id per call; without it the first
 * UUID in the answer is taken as the request id (OpenAI's {@code chatcmpl-<id>}).
 */
public final class RequestTimeline {
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final String IRIS =
      "{\"id\":\"{{id}}\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
          + "\"data\":[5.1,3.5,1.4,0.2]}]}";

  private RequestTimeline() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    URI url = URI.create(args.string("url", "http://127.0.0.1:8080/v2/models/iris/infer"));
    String body = args.string("body", IRIS);
    String kafka = args.string("kafka", "127.0.0.1:9092");
    int warmup = args.integer("warmup", 200);
    int count = args.integer("samples", 100);
    Duration pause = args.duration("pause", Duration.ofMillis(100));
    String load = MachineInfo.loadAverage();
    List<Stages.Sample> samples = new ArrayList<>();
    try (RawHttp http = new RawHttp(url)) {
      for (int i = 0; i < warmup; i++) {
        http.post(body.replace("{{id}}", UUID.randomUUID().toString()));
      }
      for (int i = 0; i < count; i++) {
        Thread.sleep(pause);
        samples.add(timed(http, body));
      }
    }
    List<Stages.Stage> stages = Stages.of(samples, recordsSince(kafka, samples));
    BenchReport report =
        new BenchReport(
                "Where one call's time goes: " + url.getPath(),
                "RequestTimeline " + String.join(" ", argv))
            .setting(
                "calls",
                count
                    + " one at a time, "
                    + pause.toMillis()
                    + " ms apart, after "
                    + warmup
                    + " warm-up calls, raw keep-alive socket")
            .setting("load average before", load)
            .columns("stage (first record of the call)", "p50 ms after send", "p90 ms", "calls");
    stages.forEach(
        s ->
            report.row(
                "`" + s.name() + "`",
                BenchReport.fmt(s.p50()),
                BenchReport.fmt(s.p90()),
                s.samples()));
    report.note(
        "Kafka offsets are CreateTimes in whole ms (the client's own figure is not)."
            + " Load average after: "
            + MachineInfo.loadAverage());
    report.publish();
  }

  private static Stages.Sample timed(RawHttp http, String template) throws Exception {
    String id = UUID.randomUUID().toString();
    String body = template.replace("{{id}}", id);
    long sentMs = System.currentTimeMillis();
    long sent = System.nanoTime();
    String answer = http.post(body);
    double ms = (System.nanoTime() - sent) / 1e6;
    if (!template.contains("{{id}}")) {
      Matcher m = UUID_TEXT.matcher(answer);
      id = m.find() ? m.group() : id;
    }
    if (!answer.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException("call failed: " + answer.lines().findFirst().orElse(""));
    }
    return new Stages.Sample(id, sentMs, ms);
  }

  /** Every keyed record of a sampled request on any topic, written after the first send. */
  private static List<Stages.Seen> recordsSince(String kafka, List<Stages.Sample> samples)
      throws Exception {
    Set<String> ids = new HashSet<>();
    samples.forEach(s -> ids.add(s.requestId()));
    long from = samples.getFirst().sentEpochMs();
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    List<Stages.Seen> seen = new ArrayList<>();
    try (Admin admin = Admin.create(props);
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<String> topics = admin.listTopics().names().get();
      List<TopicPartition> partitions = new ArrayList<>();
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
        d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, from));
      Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp o = start.get(tp);
        consumer.seek(tp, o == null ? end.get(tp) : o.offset());
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (!caughtUp(consumer, end) && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Matcher id = UUID_TEXT.matcher(r.key() == null ? "" : new String(r.key(), UTF_8));
          if (id.find() && ids.contains(id.group())) {
            seen.add(new Stages.Seen(r.topic(), id.group(), r.timestamp()));
          }
        }
      }
    }
    return seen;
  }

  private static boolean caughtUp(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
