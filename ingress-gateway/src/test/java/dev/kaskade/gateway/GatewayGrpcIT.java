package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient;
import dev.kaskade.gateway.grpc.proto.InferTensorContents;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.gateway.grpc.proto.ModelInferResponse;
import dev.kaskade.gateway.grpc.proto.ModelMetadataRequest;
import dev.kaskade.gateway.grpc.proto.ModelReadyRequest;
import dev.kaskade.gateway.grpc.proto.RepositoryModelUnloadRequest;
import dev.kaskade.gateway.grpc.proto.ServerLiveRequest;
import dev.kaskade.gateway.grpc.proto.ServerMetadataRequest;
import dev.kaskade.gateway.grpc.proto.ServerReadyRequest;
import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.LinearResponder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GatewayGrpcIT {
  private static final float[] ROWS = {5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.1f, 4.4f, 1.4f};
  private static final int MAX_MESSAGE = 64 * 1024;
  private static GatewayFixture fx;
  private static Vertx vertx;
  private static GrpcClient client;
  private static GRPCInferenceServiceGrpcClient grpcPort;
  private static GRPCInferenceServiceGrpcClient httpPort;

  @BeforeAll
  static void start() throws Exception {
    fx =
        new GatewayFixture(
            Cluster.shared(),
            Map.of("gateway.max.grpc.message.bytes", Integer.toString(MAX_MESSAGE)));
    vertx = Vertx.vertx();
    client = GrpcClient.client(vertx);
    grpcPort =
        GRPCInferenceServiceGrpcClient.create(
            client, SocketAddress.inetSocketAddress(fx.gateway.grpcPort(), "127.0.0.1"));
    httpPort =
        GRPCInferenceServiceGrpcClient.create(
            client, SocketAddress.inetSocketAddress(fx.gateway.httpPort(), "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static ModelInferRequest.Builder typed(String model) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (float f : ROWS) {
      c.addFp32Contents(f);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .setId("g-1")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input")
                .setDatatype("FP32")
                .addShape(2)
                .addShape(4)
                .setContents(c));
  }

  private static ModelInferRequest raw() {
    ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : ROWS) {
      data.putFloat(f);
    }
    return ModelInferRequest.newBuilder()
        .setModelName("iris")
        .setId("g-raw")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input")
                .setDatatype("FP32")
                .addShape(2)
                .addShape(4))
        .addRawInputContents(ByteString.copyFrom(data.array()))
        .build();
  }

  @Test
  void typedContentsAreAnsweredWithTypedContents() throws Exception {
    ModelInferResponse r = await(grpcPort.modelInfer(typed("iris").build()));

    assertThat(r.getId()).isEqualTo("g-1");
    assertThat(r.getModelName()).isEqualTo("iris");
    assertThat(r.getModelVersion()).isEqualTo(GatewayFixture.IRIS_REV);
    assertThat(r.getOutputs(0).getShapeList()).containsExactly(2L, 3L);
    assertThat(r.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(boxed());
  }

  @Test
  void rawContentsAreAnsweredWithRawContents() throws Exception {
    ModelInferResponse r = await(grpcPort.modelInfer(raw()));

    assertThat(r.getRawOutputContentsCount()).isEqualTo(1);
    ByteBuffer out =
        r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<Float> values = new ArrayList<>();
    while (out.hasRemaining()) {
      values.add(out.getFloat());
    }
    assertThat(values).containsExactly(boxed());
  }

  @Test
  void theRestPortAlsoServesGrpcAndBothAgreeWithRest() throws Exception {
    ModelInferResponse viaHttpPort = await(httpPort.modelInfer(typed("iris").build()));
    var rest =
        fx.postJson(
            "/v2/models/iris/infer",
            """
            {"id":"g-1","inputs":[{"name":"input","datatype":"FP32","shape":[2,4],
              "data":[5.1,3.5,1.4,0.2,6.7,3.1,4.4,1.4]}]}""");
    JsonArray restData =
        new JsonObject(new String(rest.body(), StandardCharsets.UTF_8))
            .getJsonArray("outputs")
            .getJsonObject(0)
            .getJsonArray("data");
    List<Float> restValues = new ArrayList<>();
    restData.forEach(v -> restValues.add(((Number) v).floatValue()));

    assertThat(viaHttpPort.getOutputs(0).getContents().getFp32ContentsList()).isEqualTo(restValues);
  }

  @Test
  void serverAndModelRpcsAnswer() throws Exception {
    assertThat(await(grpcPort.serverLive(ServerLiveRequest.getDefaultInstance())).getLive())
        .isTrue();
    assertThat(await(grpcPort.serverReady(ServerReadyRequest.getDefaultInstance())).getReady())
        .isTrue();
    assertThat(await(grpcPort.serverMetadata(ServerMetadataRequest.getDefaultInstance())).getName())
        .isEqualTo("kaskade");
    assertThat(
            await(grpcPort.modelReady(ModelReadyRequest.newBuilder().setName("iris").build()))
                .getReady())
        .isTrue();
    assertThat(
            await(grpcPort.modelReady(ModelReadyRequest.newBuilder().setName("loading").build()))
                .getReady())
        .isFalse();
    var metadata =
        await(grpcPort.modelMetadata(ModelMetadataRequest.newBuilder().setName("iris").build()));
    assertThat(metadata.getInputs(0).getName()).isEqualTo("input");
    assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 4L);
  }

  @Test
  void failuresMapToGrpcStatusCodes() {
    assertThat(status(grpcPort.modelInfer(typed("nope").build()))).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(status(grpcPort.modelInfer(typed("loading").build())))
        .isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(status(grpcPort.modelInfer(typed("iris").setModelVersion("v9").build())))
        .isEqualTo(GrpcStatus.NOT_FOUND);
    ModelInferRequest wrongType =
        typed("iris")
            .setInputs(0, typed("iris").getInputs(0).toBuilder().setDatatype("FP64"))
            .build();
    assertThat(status(grpcPort.modelInfer(wrongType))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    ModelInferRequest rawMismatch = raw().toBuilder().addRawInputContents(ByteString.EMPTY).build();
    assertThat(status(grpcPort.modelInfer(rawMismatch))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(status(grpcPort.modelInfer(typed("failing").build())))
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(
            status(
                grpcPort.repositoryModelUnload(
                    RepositoryModelUnloadRequest.newBuilder().setModelName("iris").build())))
        .isEqualTo(GrpcStatus.UNIMPLEMENTED);
  }

  @Test
  void aStalledModelEndsInDeadlineExceeded() {
    Future<ModelInferResponse> call =
        client
            .request(
                SocketAddress.inetSocketAddress(fx.gateway.grpcPort(), "127.0.0.1"),
                dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient.ModelInfer)
            .compose(
                req -> {
                  req.headers().set("kaskade-timeout-ms", "300");
                  return req.send(typed("stalled").build()).compose(resp -> resp.last());
                });

    assertThat(status(call)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
  }

  @Test
  void messagesOverTheLimitAreRejectedWithResourceExhausted() {
    int before = fx.responder.received();
    ModelInferRequest big =
        raw().toBuilder()
            .setInputs(0, raw().getInputs(0).toBuilder().setShape(0, 5000))
            .setRawInputContents(0, ByteString.copyFrom(new byte[5000 * 16]))
            .build();

    assertThat(status(grpcPort.modelInfer(big))).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(fx.responder.received()).isEqualTo(before);
  }

  private static GrpcStatus status(Future<?> call) {
    Throwable failure = catchThrowable(() -> call.await(30, TimeUnit.SECONDS));
    if (failure instanceof InvalidStatusException e) {
      return e.actualStatus();
    }
    if (failure instanceof GrpcErrorException e) {
      return e.status();
    }
    throw new AssertionError("expected a gRPC status failure, got " + failure, failure);
  }

  private static Float[] boxed() {
    float[] expected = LinearResponder.scores(ROWS);
    Float[] out = new Float[expected.length];
    for (int i = 0; i < expected.length; i++) {
      out[i] = expected[i];
    }
    return out;
  }
}
