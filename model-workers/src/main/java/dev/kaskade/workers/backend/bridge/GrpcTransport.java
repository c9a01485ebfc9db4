package dev.kaskade.workers.backend.bridge;

import com.google.protobuf.Message;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.bridge.grpc.ModelInferRequest;
import dev.kaskade.workers.backend.bridge.grpc.ModelInferResponse;
import dev.kaskade.workers.backend.bridge.grpc.ModelMetadataRequest;
import dev.kaskade.workers.backend.bridge.grpc.ModelMetadataResponse;
import dev.kaskade.workers.backend.bridge.grpc.ServerReadyRequest;
import dev.kaskade.workers.backend.bridge.grpc.ServerReadyResponse;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Open Inference Protocol gRPC ({@code grpc://host:port}) over Vert.x's gRPC client. */
final class GrpcTransport implements Transport {
  private static final ServiceName SERVICE =
      ServiceName.create("inference", "GRPCInferenceService");

  private final Upstream upstream;
  private final GrpcClient client;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final SocketAddress address;

  GrpcTransport(Upstream upstream) {
    this.upstream = upstream;
    this.client = GrpcClient.client(SharedVertx.acquire());
    int port = upstream.base().getPort() > 0 ? upstream.base().getPort() : 80;
    this.address = SocketAddress.inetSocketAddress(port, upstream.base().getHost());
  }

  private static <Q extends Message, R extends Message> ServiceMethod<R, Q> method(
      String name, R prototype) {
    return ServiceMethod.client(
        SERVICE, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(prototype));
  }

  private static final ServiceMethod<ServerReadyResponse, ServerReadyRequest> SERVER_READY =
      method("ServerReady", ServerReadyResponse.getDefaultInstance());
  private static final ServiceMethod<ModelMetadataResponse, ModelMetadataRequest> METADATA =
      method("ModelMetadata", ModelMetadataResponse.getDefaultInstance());
  private static final ServiceMethod<ModelInferResponse, ModelInferRequest> INFER =
      method("ModelInfer", ModelInferResponse.getDefaultInstance());

  @Override
  public boolean ready(Duration timeout) {
    try {
      return call(SERVER_READY, ServerReadyRequest.getDefaultInstance(), timeout.toMillis())
          .getReady();
    } catch (KaskadeException e) {
      return false;
    }
  }

  @Override
  public ModelMetadata metadata() {
    try {
      ModelMetadataResponse response =
          call(METADATA, ModelMetadataRequest.newBuilder().setName(upstream.model()).build(), 5000);
      return GrpcBridgeTensors.metadata(response, upstream.model());
    } catch (KaskadeException e) {
      return Transport.unsigned(upstream);
    }
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs, long deadlineMs) {
    long left =
        deadlineMs > 0
            ? deadlineMs - System.currentTimeMillis()
            : upstream.callTimeout().toMillis();
    long timeout = Math.max(1, Math.min(left, upstream.callTimeout().toMillis()));
    ModelInferRequest request =
        GrpcBridgeTensors.request(upstream.model(), inputs, requestedOutputs);
    return GrpcBridgeTensors.outputs(call(INFER, request, timeout));
  }

  /** A unary call that ends within {@code timeoutMs}, failures mapped like HTTP ones. */
  private <Q, R> R call(ServiceMethod<R, Q> method, Q message, long timeoutMs) {
    Future<R> answer =
        client
            .request(address, method)
            .compose(
                request -> {
                  request.timeout(timeoutMs, TimeUnit.MILLISECONDS);
                  return request
                      .send(message)
                      .compose(
                          response ->
                              response
                                  .last()
                                  .recover(
                                      e ->
                                          Future.failedFuture(
                                              new StatusFailure(
                                                  response.status(), response.statusMessage()))));
                });
    try {
      return answer.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw UpstreamErrors.unanswered(upstream, "did not answer within " + timeoutMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UpstreamErrors.unanswered(upstream, "call interrupted");
    } catch (ExecutionException e) {
      throw failure(e.getCause(), timeoutMs);
    }
  }

  private KaskadeException failure(Throwable cause, long timeoutMs) {
    if (cause instanceof StatusFailure status) {
      if (status.status == GrpcStatus.DEADLINE_EXCEEDED || status.status == GrpcStatus.CANCELLED) {
        return UpstreamErrors.unanswered(upstream, "did not answer within " + timeoutMs + " ms");
      }
      return UpstreamErrors.ofGrpcStatus(upstream, status.status.code, status.getMessage());
    }
    if (cause instanceof ConnectException) {
      return UpstreamErrors.unreachable(upstream, String.valueOf(cause.getMessage()));
    }
    return UpstreamErrors.unreachable(upstream, String.valueOf(cause));
  }

  /** A non-OK gRPC status with its message. */
  private static final class StatusFailure extends RuntimeException {
    private final GrpcStatus status;

    StatusFailure(GrpcStatus status, String message) {
      super(message == null ? "" : message, null, false, false);
      this.status = status == null ? GrpcStatus.UNKNOWN : status;
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) { // a second close must not give back another's use
      client.close();
      SharedVertx.release();
    }
  }
}
