package dev.kaskade.gateway.bridge;

import dev.kaskade.events.GenerationCancel;
import dev.kaskade.events.GenerationEvent;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.Partitions;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming half of the bridge: reads this gateway's chunks topic on its own thread and hands
 * each GenerationEvent to the stream registered under its request id, on that stream's Vert.x
 * context; produces GenerationCancel broadcasts when a client goes away. Events of unknown streams
 * (finished, cancelled, another gateway's restart) are dropped.
 */
public final class GenerationStreams implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GenerationStreams.class);

  private record Listener(Context context, Consumer<GenerationEvent> onEvent) {}

  private final Vertx vertx;
  private final String chunksTopic;
  private final String cancelTopic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroDeserializer<GenerationEvent> events;
  private final AvroSerializer<GenerationCancel> cancels;
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public GenerationStreams(
      Vertx vertx,
      KafkaConnection bootstrap,
      SchemaRegistryClient registry,
      int maxMessageBytes,
      String chunksTopic,
      String cancelTopic) {
    this.vertx = vertx;
    this.chunksTopic = chunksTopic;
    this.cancelTopic = cancelTopic;
    Map<String, Object> consumerConfig = ClientConfigs.consumer(bootstrap, null, maxMessageBytes);
    consumerConfig.put("client.id", "kaskade-gateway-chunks-" + chunksTopic);
    this.consumer = new KafkaConsumer<>(consumerConfig);
    Map<String, Object> producerConfig = ClientConfigs.producer(bootstrap, maxMessageBytes);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kaskade-gateway-cancel-" + chunksTopic);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer = new KafkaProducer<>(producerConfig);
    this.events = new AvroDeserializer<>(registry, GenerationEvent.class);
    this.cancels = new AvroSerializer<>(registry);
    this.thread = Thread.ofPlatform().name("kaskade-gateway-chunks").daemon().unstarted(this::run);
  }

  public String chunksTopic() {
    return chunksTopic;
  }

  /** Assigns every partition of the chunks topic from its end and starts reading. */
  public void start() {
    List<TopicPartition> partitions = Partitions.of(consumer, chunksTopic, Duration.ofSeconds(30));
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread.start();
  }

  /** Events for {@code requestId} go to {@code onEvent} on the caller's context from now on. */
  public void register(String requestId, Consumer<GenerationEvent> onEvent) {
    listeners.put(requestId, new Listener(vertx.getOrCreateContext(), onEvent));
  }

  public void unregister(String requestId) {
    listeners.remove(requestId);
  }

  /** Asks every worker to stop this generation; fire and forget. */
  public void cancel(String requestId, String reason) {
    try {
      GenerationCancel cancel = new GenerationCancel(requestId, reason, System.currentTimeMillis());
      producer.send(
          new ProducerRecord<>(cancelTopic, requestId, cancels.serialize(cancelTopic, cancel)),
          (metadata, error) -> {
            if (error != null) {
              LOG.warn("cancel of {} not sent: {}", requestId, error.toString());
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("cancel of {} not sent: {}", requestId, e.toString());
    }
  }

  private void run() {
    while (running) {
      try {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          dispatch(record);
        }
      } catch (WakeupException e) {
        break;
      } catch (KafkaException e) {
        LOG.warn("chunks reader: {}", e.toString());
      }
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    Listener listener = record.key() == null ? null : listeners.get(record.key());
    if (listener == null) {
      return;
    }
    GenerationEvent event;
    try {
      event = events.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      LOG.warn("undecodable generation event on {}: {}", record.topic(), e.toString());
      return;
    }
    listener.context().runOnContext(v -> listener.onEvent().accept(event));
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(2));
    producer.close(Duration.ofSeconds(2));
  }
}
