package dev.kaskade.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.schemas.topic.Topics;
import dev.kaskade.workers.dispatch.RequestDispatcher;
import dev.kaskade.workers.testing.KafkaTestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Exactly what docs/async-inference.md shows a Kafka client doing: produce an InferenceRequest to
 * {@code kaskade.default.iris.requests}, read the prediction from {@code
 * kaskade.default.iris.responses}. The real iris ONNX model answers.
 */
class AsyncInferenceIT {

  @Test
  void plainKafkaClientGetsTheIrisPrediction() throws Exception {
    KaskadeContext ctx = KafkaTestEnv.context(Topics.DEFAULT_PREFIX, Map.of("worker.id", "async"));
    publishIris(ctx);
    try (var worker = new WorkerComponent(ctx);
        var dispatcher = new RequestDispatcher(ctx)) {
      worker.start();
      dispatcher.start();

      float[] probabilities = askIris(KafkaTestEnv.bootstrap(), KafkaTestEnv.registryUrl());

      assertThat(probabilities).hasSize(6);
      assertThat(argmax(probabilities, 0)).isEqualTo(0); // setosa
      assertThat(argmax(probabilities, 1)).isEqualTo(2); // virginica
    }
  }

  /** The example of docs/async-inference.md, line for line. */
  static float[] askIris(String bootstrap, String registryUrl) throws Exception {
    SchemaRegistryClient registry = new HttpSchemaRegistryClient(registryUrl);

    // 1. Produce an InferenceRequest (key = request id) to the model's requests topic.
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    String requestId = UUID.randomUUID().toString();
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setId(requestId)
            .setModel("iris")
            .setInputs(
                List.of(
                    Tensors.ofFloats(
                        "input",
                        List.of(2L, 4L),
                        new float[] {5.1f, 3.5f, 1.4f, 0.2f, 6.3f, 3.3f, 6.0f, 2.5f})))
            .build();
    try (var producer =
        new KafkaProducer<>(
            producerProps,
            new StringSerializer(),
            new AvroSerializer<InferenceRequest>(registry))) {
      producer
          .send(new ProducerRecord<>("kaskade.default.iris.requests", requestId, request))
          .get();
    }

    // 2. Read responses until the one keyed by our request id arrives.
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "my-app");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(
            consumerProps,
            new StringDeserializer(),
            new AvroDeserializer<>(registry, InferenceResponse.class))) {
      consumer.subscribe(List.of("kaskade.default.iris.responses"));
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, InferenceResponse> record :
            consumer.poll(Duration.ofMillis(200))) {
          if (record.key().equals(requestId)) {
            InferenceResponse response = record.value();
            if (response.getError() != null) {
              throw new IllegalStateException(
                  response.getError().getCode() + ": " + response.getError().getMessage());
            }
            return Tensors.toFloats(response.getOutputs().get(0)); // shape [2, 3]
          }
        }
      }
    }
    throw new IllegalStateException("no answer within 60 s");
  }

  private static int argmax(float[] probabilities, int row) {
    int best = 0;
    for (int j = 1; j < 3; j++) {
      if (probabilities[row * 3 + j] > probabilities[row * 3 + best]) {
        best = j;
      }
    }
    return best;
  }

  /** What the reconciler would publish for examples/iris/isvc.yaml. */
  private static void publishIris(KaskadeContext ctx) {
    Path model = Path.of("..", "examples", "iris", "model.onnx").toAbsolutePath().normalize();
    PredictorSpec predictor =
        PredictorSpec.newBuilder()
            .setRevision("iris-predictor-0a1b2c3d")
            .setModelFormat("onnx")
            .setStorageUri(model.toUri().toString())
            .build();
    KafkaTestEnv.publish(
        ctx,
        ResourceEvent.newBuilder()
            .setKind("InferenceService")
            .setNamespace("default")
            .setName("iris")
            .setSpec(InferenceServiceSpec.newBuilder().setPredictor(predictor).build())
            .build());
  }
}
