package dev.kaskade.workers.backend.bridge;

import dev.kaskade.events.Tensor;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelMetadata;
import java.util.List;
import java.util.Set;

/**
 * A model served by a model server elsewhere: each (batched) execution is one V1, OIP REST or OIP
 * gRPC call, bounded by the earliest deadline of the batch. Readiness follows the server's health.
 */
final class BridgeModel implements LoadedModel {
  private final Transport transport;
  private final HealthWatch health;
  private final ModelMetadata metadata;

  BridgeModel(Transport transport, HealthWatch health, ModelMetadata metadata) {
    this.transport = transport;
    this.health = health;
    this.metadata = metadata;
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs) {
    return infer(inputs, requestedOutputs, 0);
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs, long deadlineMs) {
    try {
      return transport.infer(inputs, requestedOutputs, deadlineMs);
    } catch (UpstreamErrors.Unreachable e) {
      health.markDown();
      throw e;
    }
  }

  @Override
  public boolean ready() {
    return health.ready();
  }

  @Override
  public long memoryBytes() {
    return 0; // the model lives in the model server's memory
  }

  @Override
  public void close() {
    health.close();
    transport.close();
  }
}
