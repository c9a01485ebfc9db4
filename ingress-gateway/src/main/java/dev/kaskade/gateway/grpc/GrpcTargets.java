package dev.kaskade.gateway.grpc;

import dev.kaskade.gateway.auth.Target;
import dev.kaskade.gateway.auth.Verb;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.gateway.grpc.proto.ModelMetadataRequest;
import dev.kaskade.gateway.grpc.proto.ModelReadyRequest;
import dev.kaskade.gateway.grpc.proto.RepositoryModelLoadRequest;
import dev.kaskade.gateway.grpc.proto.RepositoryModelUnloadRequest;
import java.util.Optional;
import java.util.Set;

/** What a gRPC call needs permission for, from its request message. */
final class GrpcTargets {
  /** Liveness and readiness: open to anyone. */
  private static final Set<String> OPEN = Set.of("ServerLive", "ServerReady");

  private GrpcTargets() {}

  static boolean open(String methodName) {
    return OPEN.contains(methodName);
  }

  /** The target, or empty for calls that name no model (server metadata). */
  static Optional<Target> of(Object message, String namespace) {
    return Optional.ofNullable(
        switch (message) {
          case ModelInferRequest m -> new Target(Verb.INFER, namespace, m.getModelName());
          case ModelMetadataRequest m -> new Target(Verb.METADATA, namespace, m.getName());
          case ModelReadyRequest m -> new Target(Verb.METADATA, namespace, m.getName());
          case RepositoryModelLoadRequest m ->
              new Target(Verb.METADATA, namespace, m.getModelName());
          case RepositoryModelUnloadRequest m ->
              new Target(Verb.METADATA, namespace, m.getModelName());
          default -> null;
        });
  }
}
