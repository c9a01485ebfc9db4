package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient;
import dev.kaskade.gateway.grpc.proto.InferTensorContents;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.gateway.grpc.proto.ModelInferResponse;
import dev.kaskade.gateway.testing.ControlPublisher;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.gateway.testing.WorkerAndGateway;
import dev.kaskade.workers.WorkerComponent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real model worker with examples/iris/model.onnx behind the gateway, on every protocol. */
class WorkerIrisIT {
  private static final String REVISION = "iris-predictor-0000c0de";
  private static final Path MODEL =
      Path.of("..", "examples", "iris", "model.onnx").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void irisAnswersTheSameOverV1V2AndGrpc() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (WorkerAndGateway stack = WorkerAndGateway.create(tmp, "w-iris")) {
      ControlPublisher control = stack.control();
      WorkerComponent worker = stack.worker();
      GatewayComponent gateway = stack.gateway();
      PredictorSpec predictor =
          PredictorSpec.newBuilder(Resources.predictor(REVISION, null))
              .setStorageUri(MODEL.toUri().toString())
              .setProtocolVersion("v2")
              .build();
      control.resource(
          Resources.isvc(
              "default",
              "iris",
              InferenceServiceSpec.newBuilder().setPredictor(predictor).build()));
      worker.start();
      gateway.start();
      String base = "http://127.0.0.1:" + gateway.httpPort();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> get(base + "/v2/models/iris/ready").statusCode() == 200);

      JsonObject metadata = json(get(base + "/v2/models/iris"));
      assertThat(metadata.getJsonArray("inputs").getJsonObject(0).getString("name"))
          .isEqualTo("input");

      JsonObject v1 =
          json(
              post(
                  base + "/v1/models/iris:predict",
                  "{\"instances\":[[5.1,3.5,1.4,0.2],[6.7,3.1,5.6,2.4]]}"));
      List<Float> v1Values = floats(flatten(v1.getJsonArray("predictions")));
      JsonObject v2 =
          json(
              post(
                  base + "/v2/models/iris/infer",
                  """
                  {"inputs":[{"name":"input","datatype":"FP32","shape":[2,4],
                    "data":[5.1,3.5,1.4,0.2,6.7,3.1,5.6,2.4]}]}"""));
      assertThat(v2.getString("model_version")).isEqualTo(REVISION);
      List<Float> v2Values =
          floats(v2.getJsonArray("outputs").getJsonObject(0).getJsonArray("data"));

      InferTensorContents.Builder contents = InferTensorContents.newBuilder();
      for (float f : new float[] {5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.1f, 5.6f, 2.4f}) {
        contents.addFp32Contents(f);
      }
      ModelInferResponse grpc =
          GRPCInferenceServiceGrpcClient.create(
                  GrpcClient.client(vertx),
                  SocketAddress.inetSocketAddress(gateway.grpcPort(), "127.0.0.1"))
              .modelInfer(
                  ModelInferRequest.newBuilder()
                      .setModelName("iris")
                      .addInputs(
                          ModelInferRequest.InferInputTensor.newBuilder()
                              .setName("input")
                              .setDatatype("FP32")
                              .addShape(2)
                              .addShape(4)
                              .setContents(contents))
                      .build())
              .await(30, TimeUnit.SECONDS);

      assertThat(v1Values).hasSize(6).isEqualTo(v2Values);
      assertThat(grpc.getOutputs(0).getContents().getFp32ContentsList()).isEqualTo(v2Values);
      assertThat(argmax(v2Values.subList(0, 3))).as("setosa").isEqualTo(0);
      assertThat(argmax(v2Values.subList(3, 6))).as("virginica").isEqualTo(2);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static int argmax(List<Float> values) {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) > values.get(best)) {
        best = i;
      }
    }
    return best;
  }

  private static JsonArray flatten(JsonArray rows) {
    JsonArray flat = new JsonArray();
    rows.forEach(r -> ((JsonArray) r).forEach(flat::add));
    return flat;
  }

  private static List<Float> floats(JsonArray array) {
    List<Float> out = new ArrayList<>();
    array.forEach(v -> out.add(((Number) v).floatValue()));
    return out;
  }

  private static JsonObject json(HttpResponse<byte[]> r) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    return new JsonObject(body);
  }

  private static HttpResponse<byte[]> get(String url) {
    return GatewayFixture.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private static HttpResponse<byte[]> post(String url, String body) {
    return GatewayFixture.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
