package dev.kaskade.loadtests.product;

import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient;
import dev.kaskade.loadtests.gateway.IrisPayloads;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Iris {@code ModelInfer} calls over one HTTP/2 connection of a Vert.x gRPC client, each started on
 * the client's event loop, as {@code GatewayHttp} starts its calls.
 */
final class GrpcCalls implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final GRPCInferenceServiceGrpcClient client;
  private final String model;
  private final String idPrefix;

  GrpcCalls(int port, String model, String idPrefix) {
    this.client =
        GRPCInferenceServiceGrpcClient.create(
            GrpcClient.client(vertx), SocketAddress.inetSocketAddress(port, "127.0.0.1"));
    this.model = model;
    this.idPrefix = idPrefix;
  }

  /** Call {@code i}: completes with the response, or exceptionally with the call's failure. */
  CompletableFuture<Object> infer(long i) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    context.runOnContext(
        v ->
            client
                .modelInfer(IrisPayloads.grpc(model, idPrefix + i, i))
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
