package dev.kaskade.sink.replay;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.topic.Topics;
import dev.kaskade.sink.chain.StoredRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Re-sends recorded requests through Kafka to a target model and compares the answers with the
 * recorded ones. Each replayed request gets a new id, {@code replay_of} = the original id and the
 * {@code kaskade-replay-of} header, so the payload logger marks its audit record as replay.
 */
public final class AuditReplayer {

  /**
   * Where to send.
   *
   * @param model the InferenceService
   * @param revision a predictor revision, or null to go through the service's requests topic
   */
  public record Target(String model, String revision) {
    /** Parses MODEL[:REVISION]. */
    public static Target parse(String spec) {
      int colon = spec.indexOf(':');
      return colon < 0
          ? new Target(spec, null)
          : new Target(spec.substring(0, colon), spec.substring(colon + 1));
    }

    @Override
    public String toString() {
      return revision == null ? model : model + ":" + revision;
    }
  }

  /**
   * Kafka access.
   *
   * @param kafka Kafka bootstrap servers and client security
   * @param registry schema registry client
   * @param topics topic names
   * @param maxMessageBytes max message size
   */
  public record Connection(
      KafkaConnection kafka, SchemaRegistryClient registry, Topics topics, int maxMessageBytes) {}

  /**
   * How to replay.
   *
   * @param namespace namespace of the target (null: each record's own namespace)
   * @param target the target model
   * @param ratePerSecond requests per second (0 or less: as fast as possible)
   * @param tolerance absolute tolerance for within_tolerance
   * @param timeout how long to wait for the last answer after the last send
   * @param topN how many most-different pairs to report
   */
  public record Options(
      String namespace,
      Target target,
      double ratePerSecond,
      double tolerance,
      Duration timeout,
      int topN) {}

  private AuditReplayer() {}

  public static ReplayReport replay(List<StoredRecord> recorded, Connection conn, Options options)
      throws InterruptedException {
    List<StoredRecord> replayable =
        recorded.stream().filter(r -> r.audit().getRequest() != null).toList();
    Map<String, StoredRecord> originals = new HashMap<>();
    Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
    Map<String, InferenceResponse> answers = new HashMap<>();
    Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    try (KafkaConsumer<String, byte[]> consumer = responsesConsumer(conn, options, replayable);
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(ClientConfigs.producer(conn.kafka(), conn.maxMessageBytes()))) {
      AvroDeserializer<InferenceResponse> responses =
          new AvroDeserializer<>(conn.registry(), InferenceResponse.class);
      Thread sender =
          Thread.ofVirtual()
              .start(() -> send(replayable, conn, options, producer, originals, sentAtNanos));
      long deadline = Long.MAX_VALUE;
      while (answers.size() < replayable.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          Long sent = sentAtNanos.get(record.key());
          if (sent == null || answers.containsKey(record.key())) {
            continue;
          }
          latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
          answers.put(record.key(), decode(responses, record));
        }
        if (!sender.isAlive() && deadline == Long.MAX_VALUE) {
          deadline = System.nanoTime() + options.timeout().toNanos();
        }
      }
      sender.join();
    }
    return report(options, originals, answers, latency);
  }

  private static InferenceResponse decode(
      AvroDeserializer<InferenceResponse> responses, ConsumerRecord<String, byte[]> record) {
    try {
      return responses.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      return InferenceResponse.newBuilder()
          .setId(record.key())
          .setModel("")
          .setError(
              dev.kaskade.events.InferenceError.newBuilder()
                  .setCode("DESERIALIZATION_FAILED")
                  .setMessage(e.getMessage())
                  .build())
          .build();
    }
  }

  private static KafkaConsumer<String, byte[]> responsesConsumer(
      Connection conn, Options options, List<StoredRecord> replayable) {
    Map<String, Object> config = ClientConfigs.consumer(conn.kafka(), null, conn.maxMessageBytes());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
    List<TopicPartition> partitions = new ArrayList<>();
    replayable.stream()
        .map(r -> conn.topics().responses(namespace(options, r), options.target().model()))
        .distinct()
        .forEach(
            topic ->
                consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .forEach(partitions::add));
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // pin the end before the first request goes out
    return consumer;
  }

  private static String namespace(Options options, StoredRecord r) {
    return options.namespace() != null ? options.namespace() : r.audit().getCeNamespace();
  }

  private static void send(
      List<StoredRecord> replayable,
      Connection conn,
      Options options,
      KafkaProducer<String, byte[]> producer,
      Map<String, StoredRecord> originals,
      Map<String, Long> sentAtNanos) {
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(conn.registry());
    long intervalNanos =
        options.ratePerSecond() > 0 ? (long) (1_000_000_000L / options.ratePerSecond()) : 0;
    long next = System.nanoTime();
    Target target = options.target();
    for (StoredRecord r : replayable) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      next += intervalNanos;
      String ns = namespace(options, r);
      String id = UUID.randomUUID().toString();
      InferenceRequest original = r.audit().getRequest();
      InferenceRequest request =
          InferenceRequest.newBuilder(original)
              .setId(id)
              .setModel(target.model())
              .setNamespace(ns)
              .setModelVersion(target.revision())
              .setReplayOf(original.getId())
              .setDeadlineEpochMs(null)
              .setCreatedEpochMs(System.currentTimeMillis())
              .build();
      String topic =
          target.revision() == null
              ? conn.topics().requests(ns, target.model())
              : conn.topics().predictor(ns, target.model(), target.revision());
      RecordHeaders headers = new RecordHeaders();
      KaskadeHeaders.put(headers, KaskadeHeaders.REQUEST_ID, id);
      KaskadeHeaders.put(headers, KaskadeHeaders.MODEL, target.model());
      KaskadeHeaders.put(headers, KaskadeHeaders.NAMESPACE, ns);
      KaskadeHeaders.put(headers, KaskadeHeaders.REPLAY_OF, original.getId());
      KaskadeHeaders.put(headers, KaskadeHeaders.PROTOCOL, "kafka");
      KaskadeHeaders.put(headers, KaskadeHeaders.MODEL_VERSION, target.revision());
      synchronized (originals) {
        originals.put(id, r);
      }
      sentAtNanos.put(id, System.nanoTime());
      producer.send(
          new ProducerRecord<>(topic, null, id, serializer.serialize(topic, request), headers));
    }
    producer.flush();
  }

  private static ReplayReport report(
      Options options,
      Map<String, StoredRecord> originals,
      Map<String, InferenceResponse> answers,
      Histogram latency) {
    long identical = 0;
    long within = 0;
    long different = 0;
    long errors = 0;
    List<ReplayReport.Difference> diffs = new ArrayList<>();
    for (Map.Entry<String, StoredRecord> e : originals.entrySet()) {
      OutputComparison.Result result =
          OutputComparison.compare(
              e.getValue().audit().getResponse(), answers.get(e.getKey()), options.tolerance());
      switch (result.verdict()) {
        case IDENTICAL -> identical++;
        case WITHIN_TOLERANCE -> within++;
        case DIFFERENT -> different++;
        case ERROR -> errors++;
      }
      if (result.verdict() == OutputComparison.Verdict.DIFFERENT
          || result.verdict() == OutputComparison.Verdict.WITHIN_TOLERANCE) {
        diffs.add(
            new ReplayReport.Difference(
                e.getValue().audit().getCeId(), e.getKey(), result.maxAbsDiff(), result.detail()));
      }
    }
    diffs.sort(Comparator.comparingDouble(ReplayReport.Difference::maxAbsDiff).reversed());
    return new ReplayReport(
        options.target().toString(),
        options.tolerance(),
        originals.size(),
        identical,
        within,
        different,
        errors,
        new ReplayReport.Latency(
            ms(latency.getValueAtPercentile(50)),
            ms(latency.getValueAtPercentile(90)),
            ms(latency.getValueAtPercentile(99)),
            ms(latency.getMaxValue())),
        diffs.subList(0, Math.min(options.topN(), diffs.size())));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
