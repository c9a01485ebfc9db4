package dev.kaskade.workers.backend.bridge;

import dev.kaskade.events.Tensor;
import dev.kaskade.workers.backend.ModelMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** How the bridge talks to its model server: KServe V1 / OIP REST, or OIP gRPC. */
interface Transport extends AutoCloseable {

  /** One readiness check within {@code timeout}; false when the server does not answer. */
  boolean ready(Duration timeout);

  /** OIP model metadata; a signature-less one when the server has none (V1) or none to give. */
  ModelMetadata metadata();

  /**
   * One inference call that ends by {@code deadlineEpochMs} (0: the upstream's call timeout).
   *
   * @throws dev.kaskade.schemas.error.KaskadeException mapped as {@link UpstreamErrors} says;
   *     {@link UpstreamErrors.Unreachable} when no connection could be made
   */
  List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs, long deadlineEpochMs);

  @Override
  void close();

  static Transport of(Upstream upstream) {
    return upstream.protocol() == Upstream.Protocol.GRPC_V2
        ? new GrpcTransport(upstream)
        : new RestTransport(upstream);
  }

  /** Metadata without a signature: the model server validates requests itself. */
  static ModelMetadata unsigned(Upstream upstream) {
    return new ModelMetadata(upstream.model(), "kaskade-bridge", List.of(), List.of());
  }
}
