package dev.kaskade.loadtests.generation;

import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.GenerationEventKind;
import dev.kaskade.events.GenerationResult;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * What the worker reported, read from Kafka as a plain client would: per request id, the worker's
 * DELTA events on {@code kaskade.<ns>.<isvc>.chunks} (text so far and the record's CreateTime —
 * when the worker's producer was handed the event, millisecond resolution) and the {@code
 * GenerationResult} timings (time to first token, queue time) on {@code …responses}.
 */
final class KafkaTimings implements AutoCloseable {
  /** A worker event: text produced so far (chars) and the record's CreateTime (epoch ms). */
  record Produced(int chars, long createMs) {}

  /** The worker's own timings of one generation. */
  record Reported(long ttftMs, long queueMs) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<GenerationEvent> events;
  private final AvroDeserializer<InferenceResponse> responses;
  private final String chunksTopic;
  private final Map<String, List<Produced>> produced = new ConcurrentHashMap<>();
  private final Map<String, Integer> chars = new ConcurrentHashMap<>();
  private final Map<String, Reported> reported = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile boolean running = true;

  KafkaTimings(String bootstrap, String registryUrl, String namespace, String model) {
    var registry = new HttpSchemaRegistryClient(registryUrl);
    events = new AvroDeserializer<>(registry, GenerationEvent.class);
    responses = new AvroDeserializer<>(registry, InferenceResponse.class);
    chunksTopic = "kaskade." + namespace + "." + model + ".chunks";
    String responsesTopic = "kaskade." + namespace + "." + model + ".responses";
    consumer = new KafkaConsumer<>(ClientConfigs.consumer(bootstrap, null, 16 << 20));
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(chunksTopic, responsesTopic)) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .forEach(partitions::add);
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    poller = Thread.ofPlatform().name("bench-kafka-timings").daemon().start(this::poll);
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.topic().equals(chunksTopic)) {
            event(r);
          } else {
            response(r);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void event(ConsumerRecord<String, byte[]> r) {
    GenerationEvent e = events.deserialize(r.topic(), r.value());
    if (e.getKind() == GenerationEventKind.DELTA && !e.getText().isEmpty()) {
      int total = chars.merge(r.key(), e.getText().length(), Integer::sum);
      produced
          .computeIfAbsent(r.key(), k -> new ArrayList<>())
          .add(new Produced(total, r.timestamp()));
    }
  }

  private void response(ConsumerRecord<String, byte[]> r) {
    InferenceResponse answer = responses.deserialize(r.topic(), r.value());
    GenerationResult g = answer == null ? null : answer.getGeneration();
    if (g != null) {
      reported.put(r.key(), new Reported(g.getTimeToFirstTokenMs(), g.getQueueTimeMs()));
    }
  }

  /** The worker's events of a request, or an empty list when not (yet) seen. */
  List<Produced> produced(String id) {
    List<Produced> list = produced.get(id);
    return list == null ? List.of() : List.copyOf(list);
  }

  Reported reported(String id) {
    return reported.get(id);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
