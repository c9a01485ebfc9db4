package dev.kaskade.workers.backend.bridge;

import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
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
   * @throws ModelLoadException when the server never became ready
   */
  public static LoadedModel load(Upstream upstream) throws ModelLoadException {
    Transport transport = Transport.of(upstream);
    HealthWatch health = new HealthWatch(upstream, transport);
    ModelMetadata metadata;
    try {
      awaitReady(upstream, health);
      metadata = transport.metadata();
    } catch (Throwable e) {
      // Whatever ends the load (also a metadata call that fails), the client's threads must go.
      transport.close();
      throw e;
    }
    health.start();
    LOG.info("runtime bridge to {} ready", upstream);
    return new BridgeModel(transport, health, metadata);
  }

  private static void awaitReady(Upstream upstream, HealthWatch health) throws ModelLoadException {
    long giveUp = System.nanoTime() + upstream.loadTimeout().toNanos();
    boolean logged = false;
    while (!health.check()) {
      if (System.nanoTime() > giveUp || Thread.currentThread().isInterrupted()) {
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
}
