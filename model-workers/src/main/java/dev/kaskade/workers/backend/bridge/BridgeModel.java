package dev.kaskade.workers.backend.bridge;

import dev.kaskade.events.Tensor;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelMetadata;
import java.util.List;
import java.util.Set;

/**
 * A model served by a model server elsewhere: each (batched) execution is one V1 or OIP REST call,
 * bounded by the earliest deadline of the batch. Readiness follows the server's health endpoint.
 */
final class BridgeModel implements LoadedModel {
  private final Upstream upstream;
  private final UpstreamClient client;
  private final HealthWatch health;
  private final ModelMetadata metadata;

  BridgeModel(
      Upstream upstream, UpstreamClient client, HealthWatch health, ModelMetadata metadata) {
    this.upstream = upstream;
    this.client = client;
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
      if (upstream.protocol() == Upstream.Protocol.V1) {
        byte[] body = client.post(upstream.inferPath(), BridgeJson.v1Request(inputs), deadlineMs);
        return BridgeJson.v1Outputs(body);
      }
      byte[] request = BridgeJson.v2Request(inputs, requestedOutputs);
      return BridgeJson.v2Outputs(client.post(upstream.inferPath(), request, deadlineMs));
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
    client.close();
  }
}
