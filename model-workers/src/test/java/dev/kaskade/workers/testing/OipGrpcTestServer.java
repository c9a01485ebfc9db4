package dev.kaskade.workers.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.kaskade.workers.backend.bridge.grpc.ModelInferRequest;
import dev.kaskade.workers.backend.bridge.grpc.ModelInferResponse;
import dev.kaskade.workers.backend.bridge.grpc.ServerReadyRequest;
import dev.kaskade.workers.backend.bridge.grpc.ServerReadyResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC twin of {@link OipTestServer} (Vert.x gRPC, the OIP proto): ModelInfer answers the sum
 * of each FP32 row of the first input as output {@code sum} (FP64, raw contents); a negative sum is
 * INVALID_ARGUMENT; {@link #stop}/{@link #restart} kill and revive it on the same port.
 */
public final class OipGrpcTestServer implements AutoCloseable {
  private static final ServiceName SERVICE =
      ServiceName.create("inference", "GRPCInferenceService");

  private final Vertx vertx = Vertx.vertx();
  private int port;
  private HttpServer server;

  private OipGrpcTestServer() {}

  public static OipGrpcTestServer start() {
    OipGrpcTestServer s = new OipGrpcTestServer();
    s.listen(0);
    return s;
  }

  private static <Q extends Message, R extends Message> ServiceMethod<Q, R> method(
      String name, Q prototype) {
    return ServiceMethod.server(
        SERVICE, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(prototype));
  }

  private void listen(int on) {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(
        method("ServerReady", ServerReadyRequest.getDefaultInstance()),
        call ->
            call.last()
                .onSuccess(
                    m ->
                        call.response()
                            .send(ServerReadyResponse.newBuilder().setReady(true).build())));
    grpc.callHandler(
        method("ModelInfer", ModelInferRequest.getDefaultInstance()),
        call ->
            call.last()
                .onSuccess(
                    m -> {
                      ModelInferResponse answer = infer((ModelInferRequest) m);
                      if (answer == null) {
                        call.response()
                            .status(GrpcStatus.INVALID_ARGUMENT)
                            .statusMessage("negative value in input")
                            .end();
                      } else {
                        call.response().send(answer);
                      }
                    }));
    try {
      server =
          vertx
              .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(on))
              .requestHandler(grpc)
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot listen on " + on, e);
    }
    port = server.actualPort();
  }

  private static ModelInferResponse infer(ModelInferRequest request) {
    long rows = request.getInputs(0).getShape(0);
    ByteBuffer in =
        request.getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int perRow = (int) (in.remaining() / 4 / Math.max(1, rows));
    ByteBuffer out = ByteBuffer.allocate((int) rows * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int i = 0; i < perRow; i++) {
        sum += in.getFloat();
      }
      if (sum < 0) {
        return null;
      }
      out.putDouble(sum);
    }
    out.flip();
    ModelInferResponse.Builder answer =
        ModelInferResponse.newBuilder().setModelName(request.getModelName());
    answer.addOutputsBuilder().setName("sum").setDatatype("FP64").addShape(rows);
    return answer.addRawOutputContents(ByteString.copyFrom(out)).build();
  }

  public String url() {
    return "grpc://127.0.0.1:" + port;
  }

  public void stop() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public void restart() {
    listen(port);
  }

  @Override
  public void close() {
    vertx.close();
  }
}
