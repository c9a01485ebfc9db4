package dev.kaskade.workers.worker;

import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.PoisonRecords;
import dev.kaskade.schemas.serde.SerializationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted control topic from the beginning and keeps following it (no consumer group:
 * every instance needs every resource), applying each record to a {@link ControlState} and telling
 * the listener after each poll that changed something.
 */
public final class ControlFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlFollower.class);

  private final ControlState state = new ControlState();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<ResourceEvent> deserializer;
  private final String topic;
  private final Consumer<ControlState> listener;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  public ControlFollower(KaskadeContext ctx, String clientId, Consumer<ControlState> listener) {
    Map<String, Object> config =
        ClientConfigs.consumer(ctx.kafka(), null, ctx.topicSettings().maxMessageBytes());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    this.consumer = new KafkaConsumer<>(config);
    this.deserializer = new AvroDeserializer<>(ctx.registry(), ResourceEvent.class);
    this.topic = ctx.topics().controlResources();
    this.listener = listener;
    this.thread = Thread.ofPlatform().name(clientId).daemon().unstarted(this::run);
  }

  public ControlState state() {
    return state;
  }

  /** Starts following and waits until everything written before now has been applied. */
  public void start(Duration timeout) throws InterruptedException {
    thread.start();
    if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("did not read control topic " + topic + " within " + timeout);
    }
  }

  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  private void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        records.forEach(this::apply);
        boolean wasCaughtUp = isCaughtUp();
        if (!wasCaughtUp
            && end.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          caughtUp.countDown();
        }
        if (!records.isEmpty() || isCaughtUp() != wasCaughtUp) {
          notifyListener();
        }
      }
    } catch (WakeupException | InterruptException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("control follower for {} stopped", topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    try {
      state.apply(key, deserializer.deserialize(record.topic(), record.value()));
    } catch (SerializationFailure e) {
      LOG.warn("skipping control record: {}", PoisonRecords.describe(record, e));
    }
  }

  private void notifyListener() {
    if (!isCaughtUp()) {
      return;
    }
    try {
      listener.accept(state);
    } catch (RuntimeException e) {
      LOG.error("control listener failed", e);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
