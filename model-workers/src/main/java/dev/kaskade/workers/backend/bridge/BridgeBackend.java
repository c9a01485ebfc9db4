package dev.kaskade.workers.backend.bridge;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime bridge: "loads" a model by waiting until its model server is ready and reading its
 * metadata. Not a format backend (it is chosen by an upstream URL, not by model format), so it is
 * not registered with the {@link dev.kaskade.workers.backend.BackendRegistry}.
 */
public final class BridgeBackend {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeBackend.class);

  private BridgeBackend() {}

  /**
   * Waits up to {@link Upstream#loadTimeout()} for the server to be ready, then returns the model.
   *
   * @throws ModelLoadException when the server never became ready or speaks gRPC (not yet bridged)
   */
  public static LoadedModel load(Upstream upstream) throws ModelLoadException {
    if (upstream.protocol() == Upstream.Protocol.GRPC_V2) {
      throw new ModelLoadException(
          "upstream "
              + upstream.base()
              + ": grpc:// model servers are not bridged yet; use the"
              + " server's REST port (http://) with protocolVersion v2");
    }
    UpstreamClient client = new UpstreamClient(upstream);
    HealthWatch health = new HealthWatch(upstream, client);
    awaitReady(upstream, health, client);
    ModelMetadata metadata = metadata(upstream, client);
    health.start();
    LOG.info("runtime bridge to {} ready", upstream);
    return new BridgeModel(upstream, client, health, metadata);
  }

  private static void awaitReady(Upstream upstream, HealthWatch health, UpstreamClient client)
      throws ModelLoadException {
    long giveUp = System.nanoTime() + upstream.loadTimeout().toNanos();
    boolean logged = false;
    while (!health.check()) {
      if (System.nanoTime() > giveUp || Thread.currentThread().isInterrupted()) {
        client.close();
        throw new ModelLoadException(
            "model server "
                + upstream
                + " not ready at "
                + upstream.readyPath()
                + " after "
                + upstream.loadTimeout().toMillis()
                + " ms");
      }
      if (!logged) {
        LOG.info("waiting for model server {} to become ready", upstream);
        logged = true;
      }
      LockSupport.parkNanos(Math.min(upstream.healthInterval().toNanos(), 200_000_000L));
    }
  }

  /** OIP metadata for V2 servers; none (the server validates) for V1 or when it has none. */
  private static ModelMetadata metadata(Upstream upstream, UpstreamClient client) {
    ModelMetadata none =
        new ModelMetadata(upstream.model(), "kaskade-bridge", List.of(), List.of());
    if (upstream.protocol() != Upstream.Protocol.V2) {
      return none;
    }
    try {
      UpstreamClient.Answer answer = client.get(upstream.metadataPath(), Duration.ofSeconds(5));
      return answer.ok() ? BridgeJson.v2Metadata(answer.body(), upstream.model()) : none;
    } catch (KaskadeException e) {
      LOG.warn("no metadata from {}: {}", upstream, e.getMessage());
      return none;
    }
  }
}
