package dev.kaskade.gateway.testing;

import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.tensor.Tensors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;

/**
 * A real Kafka "worker" for gateway tests: consumes request topics and answers on the reply-to
 * topic with a fixed linear iris-like model (scores = x · W + b, FP32 [n,3]). Per model it can
 * instead stall (never answer), fail (answer with an error) or echo JSON payloads.
 */
public final class LinearResponder implements AutoCloseable {
  /** What to do with requests for one model. */
  public enum Behaviour {
    LINEAR,
    STALL,
    SLOW,
    FAIL,
    EXPLAIN
  }

  public static final float[][] W = {
    {0.5f, -0.25f, 0.125f}, {1f, 0f, -1f}, {-0.5f, 0.75f, 0.25f}, {0.25f, 0.5f, 1.5f}
  };
  public static final float[] B = {0.1f, -0.2f, 0.3f};

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroDeserializer<InferenceRequest> requests;
  private final AvroSerializer<InferenceResponse> responses;
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
  private final AtomicInteger received = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;

  public LinearResponder(String bootstrap, SchemaRegistryClient registry, Set<String> topics) {
    Map<String, Object> config =
        ClientConfigs.consumer(bootstrap, "responder-" + System.nanoTime(), 1 << 24);
    config.put("metadata.max.age.ms", 1000);
    this.consumer = new KafkaConsumer<>(config);
    this.producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, 1 << 24));
    this.requests = new AvroDeserializer<>(registry, InferenceRequest.class);
    this.responses = new AvroSerializer<>(registry);
    consumer.subscribe(topics);
    this.thread = new Thread(this::run, "linear-responder");
    thread.setDaemon(true);
  }

  public LinearResponder start() {
    thread.start();
    return this;
  }

  public void behave(String model, Behaviour behaviour) {
    behaviours.put(model, behaviour);
  }

  public int received() {
    return received.get();
  }

  /** Headers of the last request, by name. */
  public Map<String, String> lastHeaders() {
    return lastHeaders;
  }

  /** The expected scores for rows of 4 features. */
  public static float[] scores(float[] x) {
    int n = x.length / 4;
    float[] out = new float[n * 3];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        float s = B[j];
        for (int k = 0; k < 4; k++) {
          s += x[i * 4 + k] * W[k][j];
        }
        out[i * 3 + j] = s;
      }
    }
    return out;
  }

  private volatile boolean assigned;

  public boolean isAssigned() {
    return assigned;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          handle(record);
        }
        assigned = !consumer.assignment().isEmpty();
        consumer.commitAsync();
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    received.incrementAndGet();
    Headers h = record.headers();
    for (var header : h) {
      lastHeaders.put(header.key(), new String(header.value()));
    }
    InferenceRequest request = requests.deserialize(record.topic(), record.value());
    Behaviour behaviour = behaviours.getOrDefault(request.getModel(), Behaviour.LINEAR);
    if (behaviour == Behaviour.STALL) {
      return;
    }
    if (behaviour == Behaviour.SLOW) {
      try {
        Thread.sleep(400);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    InferenceResponse.Builder response =
        InferenceResponse.newBuilder()
            .setId(request.getId())
            .setModel(request.getModel())
            .setNamespace(request.getNamespace())
            .setModelVersion(
                record.topic().contains(".predictor.")
                    ? record.topic().substring(record.topic().indexOf(".predictor.") + 11)
                    : "");
    switch (behaviour) {
      case FAIL -> response.setError(new InferenceError("INVALID_ARGUMENT", "model says no"));
      case EXPLAIN -> response.setJsonPayload("{\"explanations\":[[0.1,0.2]],\"predictions\":[1]}");
      default -> answer(request, response);
    }
    String replyTo = KaskadeHeaders.get(h, KaskadeHeaders.REPLY_TO);
    if (replyTo == null) {
      return;
    }
    ProducerRecord<String, byte[]> out =
        new ProducerRecord<>(
            replyTo, request.getId(), responses.serialize(replyTo, response.build()));
    KaskadeHeaders.put(
        out.headers(),
        KaskadeHeaders.CORRELATION_ID,
        KaskadeHeaders.get(h, KaskadeHeaders.CORRELATION_ID));
    KaskadeHeaders.put(
        out.headers(),
        KaskadeHeaders.TRACEPARENT,
        KaskadeHeaders.get(h, KaskadeHeaders.TRACEPARENT));
    producer.send(out);
  }

  private static void answer(InferenceRequest request, InferenceResponse.Builder response) {
    if (request.getInputs().isEmpty()) {
      response.setJsonPayload(
          "{\"predictions\":" + extractInstances(request.getJsonPayload()) + "}");
      return;
    }
    Tensor input = request.getInputs().get(0);
    float[] x = Tensors.toFloats(input);
    long n = input.getShape().get(0);
    response.setOutputs(List.of(Tensors.ofFloats("output", List.of(n, 3L), scores(x))));
  }

  private static String extractInstances(String json) {
    return new io.vertx.core.json.JsonObject(json).getValue("instances").toString();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(1));
  }
}
