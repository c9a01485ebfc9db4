package dev.kaskade.gateway.grpc;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.gateway.GatewayServices;
import dev.kaskade.gateway.UnexpectedFailures;
import dev.kaskade.gateway.auth.Authenticator;
import dev.kaskade.gateway.auth.Caller;
import dev.kaskade.gateway.bridge.InferenceDispatcher;
import dev.kaskade.gateway.bridge.TraceParent;
import dev.kaskade.gateway.codec.GrpcTensors;
import dev.kaskade.gateway.codec.V2Request;
import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcService;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.gateway.grpc.proto.ModelInferResponse;
import dev.kaskade.gateway.grpc.proto.ModelMetadataResponse;
import dev.kaskade.gateway.grpc.proto.ModelReadyResponse;
import dev.kaskade.gateway.grpc.proto.RepositoryModelLoadResponse;
import dev.kaskade.gateway.grpc.proto.ServerLiveResponse;
import dev.kaskade.gateway.grpc.proto.ServerMetadataResponse;
import dev.kaskade.gateway.grpc.proto.ServerReadyResponse;
import dev.kaskade.gateway.route.ModelMetadata;
import dev.kaskade.gateway.route.Route;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Open Inference Protocol gRPC service ({@code inference.GRPCInferenceService}) on a Vert.x
 * {@link GrpcServer}, which is an HTTP request handler: the same instance serves the REST port (for
 * {@code application/grpc} requests) and the gRPC port. Failures become gRPC status codes via
 * {@link Reason#grpcCode()}.
 */
public final class GrpcApi {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GrpcApi.class);
  private static final String PROTOCOL = "grpc-v2";
  private static final int MAX_STATUS_MESSAGE = 1024;
  private final GatewayServices services;
  private final Authenticator authenticator;

  public GrpcApi(GatewayServices services) {
    this(services, Authenticator.disabled());
  }

  public GrpcApi(GatewayServices services, Authenticator authenticator) {
    this.services = services;
    this.authenticator = authenticator;
  }

  /** A unary call's handler that also sees the authenticated caller. */
  @FunctionalInterface
  private interface CallHandler<Req, Resp> {
    Future<Resp> handle(GrpcServerRequest<Req, Resp> call, Req message, Caller caller);
  }

  public GrpcServer server(Vertx vertx) {
    GrpcServerOptions options =
        new GrpcServerOptions()
            .setMaxMessageSize(services.config().maxGrpcMessageBytes())
            .setScheduleDeadlineAutomatically(false);
    GrpcServer server = GrpcServer.server(vertx, options);
    String ns = services.config().namespace();
    unary(
        server,
        GRPCInferenceServiceGrpcService.ServerLive,
        (req, m) -> Future.succeededFuture(ServerLiveResponse.newBuilder().setLive(true).build()));
    unary(
        server,
        GRPCInferenceServiceGrpcService.ServerReady,
        (req, m) ->
            Future.succeededFuture(
                ServerReadyResponse.newBuilder()
                    .setReady(services.ready().getAsBoolean())
                    .build()));
    unary(
        server,
        GRPCInferenceServiceGrpcService.ServerMetadata,
        (req, m) ->
            Future.succeededFuture(
                ServerMetadataResponse.newBuilder()
                    .setName(GatewayServices.SERVER_NAME)
                    .setVersion(GatewayServices.SERVER_VERSION)
                    .addExtensions("model_repository_extension")
                    .build()));
    unary(
        server,
        GRPCInferenceServiceGrpcService.ModelReady,
        (req, m) ->
            Future.succeededFuture(
                ModelReadyResponse.newBuilder()
                    .setReady(
                        services.table().isReady(ns, m.getName(), emptyToNull(m.getVersion())))
                    .build()));
    unary(
        server,
        GRPCInferenceServiceGrpcService.ModelMetadata,
        (req, m) -> Future.succeededFuture(metadata(ns, m.getName(), emptyToNull(m.getVersion()))));
    unary(server, GRPCInferenceServiceGrpcService.ModelInfer, this::infer);
    unary(
        server,
        GRPCInferenceServiceGrpcService.RepositoryModelLoad,
        (req, m) -> {
          services.dispatcher().checkServable(ns, m.getModelName(), null);
          return Future.succeededFuture(
              RepositoryModelLoadResponse.newBuilder()
                  .setModelName(m.getModelName())
                  .setIsLoaded(true)
                  .build());
        });
    unary(
        server,
        GRPCInferenceServiceGrpcService.RepositoryModelUnload,
        (req, m) -> {
          if (!services.table().exists(ns, m.getModelName())) {
            throw KaskadeException.notFound(
                "Model with name " + m.getModelName() + " does not exist.");
          }
          throw new KaskadeException(
              Reason.UNIMPLEMENTED,
              "Unloading is done by the control plane: delete the TrainedModel or InferenceService "
                  + m.getModelName()
                  + ".");
        });
    return server;
  }

  private ModelMetadataResponse metadata(String ns, String model, String version) {
    ModelMetadata metadata = services.table().metadata(ns, model, version);
    List<String> versions =
        version != null ? List.of(version) : services.table().versions(ns, model);
    ModelMetadataResponse.Builder b =
        ModelMetadataResponse.newBuilder()
            .setName(model)
            .addAllVersions(versions)
            .setPlatform(metadata.platform());
    metadata.inputs().forEach(t -> b.addInputs(tensorMetadata(t)));
    metadata.outputs().forEach(t -> b.addOutputs(tensorMetadata(t)));
    return b.build();
  }

  private static ModelMetadataResponse.TensorMetadata tensorMetadata(ModelMetadata.TensorSpec t) {
    return ModelMetadataResponse.TensorMetadata.newBuilder()
        .setName(t.name())
        .setDatatype(t.datatype().name())
        .addAllShape(t.shape())
        .build();
  }

  private Future<ModelInferResponse> infer(
      GrpcServerRequest<ModelInferRequest, ModelInferResponse> call,
      ModelInferRequest message,
      Caller caller) {
    String ns = services.config().namespace();
    String model = message.getModelName();
    String version = emptyToNull(message.getModelVersion());
    long start = System.nanoTime();
    Future<ModelInferResponse> result;
    try {
      services.dispatcher().checkServable(ns, model, version);
      V2Request request = GrpcTensors.decode(message);
      Route route = services.dispatcher().route(ns, model, request.id(), version);
      var req =
          new InferenceDispatcher.Request(
              request.id(), request.inputs(), null, request.parameters(), request.outputNames());
      String trace = TraceParent.fromOrNew(call.headers().get("traceparent"));
      var options =
          new InferenceDispatcher.Options(
              PROTOCOL, version, timeoutMs(call), trace, caller.subject());
      Future<InferenceResponse> reply = services.dispatcher().infer(route, req, options);
      result = reply.map(r -> GrpcTensors.encode(r, model, request));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(
        ar ->
            services
                .metrics()
                .request(
                    services.metricLabel(ns, model),
                    PROTOCOL,
                    httpLikeStatus(ar.cause()),
                    System.nanoTime() - start));
  }

  private static long timeoutMs(GrpcServerRequest<?, ?> call) {
    String header = call.headers().get(GatewayServices.TIMEOUT_HEADER);
    if (header != null) {
      try {
        return Math.max(0, Long.parseLong(header.trim()));
      } catch (NumberFormatException e) {
        throw KaskadeException.invalid(GatewayServices.TIMEOUT_HEADER + " is not a number");
      }
    }
    return Math.max(0, call.timeout());
  }

  private static int httpLikeStatus(Throwable failure) {
    if (failure == null) {
      return 200;
    }
    return failure instanceof KaskadeException k ? k.reason().httpStatus() : 500;
  }

  private <Req, Resp> void unary(
      GrpcServer server,
      ServiceMethod<Req, Resp> method,
      BiFunction<GrpcServerRequest<Req, Resp>, Req, Future<Resp>> handler) {
    unary(server, method, (call, message, caller) -> handler.apply(call, message));
  }

  /**
   * Every method goes through here: authentication (before the message is read, so a caller without
   * a valid token never has it decoded, let alone produced), then authorization of the model the
   * message names, then the handler. Liveness and readiness stay open.
   */
  private <Req, Resp> void unary(
      GrpcServer server, ServiceMethod<Req, Resp> method, CallHandler<Req, Resp> handler) {
    boolean open = GrpcTargets.open(method.methodName());
    server.callHandler(
        method,
        call -> {
          Future<Caller> who =
              open
                  ? Future.succeededFuture(Caller.ANONYMOUS)
                  : authenticator.authenticate(call.headers().get("authorization"));
          boolean waiting = !who.isComplete();
          if (waiting) {
            // A key reload is awaited: keep the message queued until we read it.
            call.pause();
          }
          who.compose(caller -> read(call, waiting, caller, open))
              .compose(
                  m -> {
                    try {
                      return handler.handle(call, m.message(), m.caller());
                    } catch (RuntimeException e) {
                      return Future.failedFuture(e);
                    }
                  })
              .onComplete(ar -> answer(call, ar.succeeded() ? ar.result() : null, ar.cause()));
        });
  }

  /**
   * Sends the answer, or the failure's status. A client that cancelled or reset its stream first (a
   * deadline of its own, a closed channel) is no longer there to answer: Vert.x then refuses the
   * write with an IllegalStateException, which would otherwise surface as an unhandled error on the
   * event loop.
   */
  private static <Resp> void answer(
      GrpcServerRequest<?, Resp> call, Resp result, Throwable failure) {
    try {
      if (failure == null) {
        call.response().send(result);
      } else {
        fail(call, failure);
      }
    } catch (IllegalStateException e) {
      LOG.debug("gRPC call {} closed before its answer: {}", call.fullMethodName(), e.getMessage());
    }
  }

  private record Authorized<Req>(Req message, Caller caller) {}

  private <Req> Future<Authorized<Req>> read(
      GrpcServerRequest<Req, ?> call, boolean paused, Caller caller, boolean open) {
    Future<Req> message = call.last();
    if (paused) {
      call.resume();
    }
    return message
        .recover(GrpcApi::undecodable)
        .map(
            m -> {
              if (!open) {
                GrpcTargets.of(m, services.config().namespace())
                    .ifPresent(t -> authenticator.authorize(caller, t));
              }
              return new Authorized<>(m, caller);
            });
  }

  /** A request message that cannot be read is the client's fault: INVALID_ARGUMENT. */
  private static <T> Future<T> undecodable(Throwable failure) {
    if (failure instanceof KaskadeException) {
      return Future.failedFuture(failure);
    }
    LOG.debug("undecodable gRPC request: {}", failure.toString());
    return Future.failedFuture(KaskadeException.invalid("The request message cannot be decoded."));
  }

  private static void fail(GrpcServerRequest<?, ?> call, Throwable failure) {
    GrpcStatus status;
    String message;
    if (failure instanceof KaskadeException k) {
      status = GrpcStatus.valueOf(k.reason().grpcCode());
      message = k.getMessage();
    } else {
      status = GrpcStatus.INTERNAL;
      message =
          UnexpectedFailures.report(
              LOG, "unexpected failure answering " + call.fullMethodName(), failure);
    }
    // The message travels as an HTTP/2 header: keep it well under header size limits.
    if (message != null && message.length() > MAX_STATUS_MESSAGE) {
      message = message.substring(0, MAX_STATUS_MESSAGE) + "...";
    }
    call.response().status(status).statusMessage(message).end();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
