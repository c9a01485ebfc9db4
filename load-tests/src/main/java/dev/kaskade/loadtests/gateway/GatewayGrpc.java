package dev.kaskade.loadtests.gateway;

import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Iris {@code ModelInfer} calls to the gateway's gRPC port over one HTTP/2 connection of a Vert.x
 * gRPC client (the generated {@code GRPCInferenceServiceGrpcClient}), each started on the client's
 * event loop, as {@link GatewayHttp} starts its calls.
 */
public final class GatewayGrpc implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final GRPCInferenceServiceGrpcClient client;
  private final String model;

  public GatewayGrpc(int port, String model) {
    this.client =
        GRPCInferenceServiceGrpcClient.create(
            GrpcClient.client(vertx), SocketAddress.inetSocketAddress(port, "127.0.0.1"));
    this.model = model;
  }

  /**
   * Infers iris row {@code i} as request {@code id}: completes with the response or the failure.
   */
  public CompletableFuture<Object> infer(String id, long i) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    context.runOnContext(
        v ->
            client
                .modelInfer(IrisPayloads.grpc(model, id, i))
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        done.complete(ar.result());
                      } else {
                        done.completeExceptionally(ar.cause());
                      }
                    }));
    return done;
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }
}
