package dev.kaskade.workers.dispatch;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.workers.worker.ControlFollower;
import dev.kaskade.workers.worker.ResponseWriter;
import dev.kaskade.workers.worker.ResponseWriter.Caller;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards requests of InferenceServices without a transformer from {@code <ns>.<isvc>.requests} to
 * the predictor topic of the revision the canary split picks, unchanged (key, headers, bytes).
 * Group {@value #GROUP}; topics are followed by pattern so new InferenceServices are picked up.
 * Settings: {@value #ID} (client id suffix).
 */
public final class RequestDispatcher implements KaskadeComponent {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
  public static final String GROUP = "kaskade-dispatcher";
  public static final String ID = "dispatcher.id";
  private static final long CONTROL_GRACE_MS = 1000;

  private final KaskadeContext ctx;
  private final String id;
  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;
  private ControlFollower follower;
  private ResponseWriter responses;
  private Thread thread;
  private volatile boolean running = true;
  private boolean graceLeft;

  public RequestDispatcher(KaskadeContext ctx) {
    this.ctx = ctx;
    this.id = ctx.setting(ID, "dispatcher-" + ProcessHandle.current().pid());
  }

  @Override
  public String name() {
    return "dispatcher";
  }

  /** {@code <prefix>.<namespace>.<isvc>.requests}, and nothing with more segments. */
  public static Pattern requestTopics(String prefix) {
    return Pattern.compile(Pattern.quote(prefix + ".") + "[^.]+\\.[^.]+\\.requests");
  }

  @Override
  public void start() throws Exception {
    ctx.provisioner().ensureTopics(ctx.topicSpecs().platformTopics());
    Map<String, Object> producerConfig =
        ClientConfigs.producer(ctx.kafka(), ctx.topicSettings().maxMessageBytes());
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kaskade-" + id);
    producer = new KafkaProducer<>(producerConfig);
    responses =
        new ResponseWriter(
            producer, new AvroSerializer<InferenceResponse>(ctx.registry()), ctx.topics());
    follower = new ControlFollower(ctx, "kaskade-" + id + "-control", state -> {});
    follower.start(Duration.ofSeconds(30));
    Map<String, Object> config =
        ClientConfigs.consumer(ctx.kafka(), GROUP, ctx.topicSettings().maxMessageBytes());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kaskade-" + id);
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000);
    consumer = new KafkaConsumer<>(config);
    consumer.subscribe(requestTopics(ctx.topics().prefix()));
    thread = Thread.ofPlatform().name("kaskade-" + id).start(this::run);
  }

  private void run() {
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (!records.isEmpty()) {
          dispatch(records);
        }
      }
    } catch (WakeupException | InterruptException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("dispatcher stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, List<Sent>> sent = new HashMap<>();
    graceLeft = true;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      List<Future<RecordMetadata>> futures = route(record);
      sent.computeIfAbsent(partition, p -> new ArrayList<>())
          .add(new Sent(record.offset(), futures));
    }
    producer.flush();
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (var entry : sent.entrySet()) {
      long position = -1;
      for (Sent s : entry.getValue()) {
        if (!s.acknowledged()) {
          consumer.seek(entry.getKey(), s.offset());
          break;
        }
        position = s.offset() + 1;
      }
      if (position >= 0) {
        commit.put(entry.getKey(), new OffsetAndMetadata(position));
      }
    }
    try {
      consumer.commitSync(commit);
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn("dispatcher commit failed: {}", e.toString());
    }
  }

  private record Sent(long offset, List<Future<RecordMetadata>> futures) {
    boolean acknowledged() {
      try {
        for (Future<RecordMetadata> future : futures) {
          future.get();
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      } catch (ExecutionException e) {
        LOG.error("forward not acknowledged; will retry", e.getCause());
        return false;
      }
    }
  }

  private List<Future<RecordMetadata>> route(ConsumerRecord<byte[], byte[]> record) {
    String prefix = ctx.topics().prefix() + ".";
    String middle =
        record.topic().substring(prefix.length(), record.topic().length() - ".requests".length());
    int dot = middle.indexOf('.');
    String namespace = middle.substring(0, dot);
    String isvc = middle.substring(dot + 1);
    String requestId = requestId(record);
    var spec = specOf(namespace, isvc);
    String pinned = KaskadeHeaders.get(record.headers(), KaskadeHeaders.MODEL_VERSION);
    return switch (DispatchDecision.decide(namespace, isvc, spec, requestId, pinned)) {
      case DispatchDecision.Skip s -> List.of();
      case DispatchDecision.Forward f -> List.of(forward(record, namespace, isvc, f));
      case DispatchDecision.Reject r -> reject(record, namespace, isvc, requestId, r.error());
    };
  }

  /**
   * The InferenceService's spec. When it is unknown, waits up to a second once per poll for the
   * control topic to catch up, since a service may be created just before its first request.
   */
  private Optional<InferenceServiceSpec> specOf(String namespace, String isvc) {
    var spec = follower.state().inferenceService(namespace, isvc);
    long until = System.currentTimeMillis() + CONTROL_GRACE_MS;
    while (spec.isEmpty()
        && graceLeft
        && System.currentTimeMillis() < until
        && !Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      }
      spec = follower.state().inferenceService(namespace, isvc);
    }
    if (spec.isEmpty()) {
      graceLeft = false;
    }
    return spec;
  }

  private Future<RecordMetadata> forward(
      ConsumerRecord<byte[], byte[]> record,
      String namespace,
      String isvc,
      DispatchDecision.Forward decision) {
    ctx.provisioner()
        .ensure(ctx.topicSpecs().inferenceServiceTopics(namespace, isvc, decision.revision()));
    String target = ctx.topics().predictor(namespace, isvc, decision.revision());
    Integer partition = null;
    String model = KaskadeHeaders.get(record.headers(), KaskadeHeaders.MODEL);
    if (decision.multiModel() && model != null) {
      // Multi-model: a model's requests go to one partition, hence to the replica holding it.
      int partitions = producer.partitionsFor(target).size();
      partition =
          Utils.toPositive(Utils.murmur2(model.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
    return producer.send(
        new ProducerRecord<>(target, partition, record.key(), record.value(), record.headers()));
  }

  private List<Future<RecordMetadata>> reject(
      ConsumerRecord<byte[], byte[]> record,
      String namespace,
      String isvc,
      String requestId,
      KaskadeException error) {
    String model = KaskadeHeaders.get(record.headers(), KaskadeHeaders.MODEL);
    Caller caller =
        new Caller(requestId, model == null ? isvc : model, namespace, record.headers());
    InferenceResponse response = ResponseWriter.failure(caller, "", error);
    return responses.send(ctx.topics().responses(namespace, isvc), caller, response);
  }

  private static String requestId(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() != null) {
      return new String(record.key(), StandardCharsets.UTF_8);
    }
    String header = KaskadeHeaders.get(record.headers(), KaskadeHeaders.REQUEST_ID);
    return header == null
        ? record.topic() + "-" + record.partition() + "@" + record.offset()
        : header;
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (follower != null) {
      follower.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
