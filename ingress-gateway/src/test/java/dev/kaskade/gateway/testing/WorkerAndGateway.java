package dev.kaskade.gateway.testing;

import dev.kaskade.gateway.GatewayComponent;
import dev.kaskade.workers.WorkerComponent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * One model worker and one gateway on the shared test broker, with a control publisher to put
 * resources on the control topic: the serving path of the ITs that load real models. Created
 * unstarted (tests publish their resources first); closed gateway first, cluster last.
 */
public record WorkerAndGateway(
    Cluster cluster, ControlPublisher control, WorkerComponent worker, GatewayComponent gateway)
    implements AutoCloseable {

  /** Components over {@code tmp} (worker data and model cache, gateway data); nothing started. */
  public static WorkerAndGateway create(Path tmp, String workerId) {
    Cluster cluster = Cluster.shared();
    cluster.createPlatformTopics();
    ControlPublisher control =
        new ControlPublisher(cluster.bootstrap(), cluster.registry(), cluster.topics());
    WorkerComponent worker =
        new WorkerComponent(
            cluster.context(
                tmp.resolve("worker"),
                Map.of(
                    "worker.id", workerId, "worker.models.dir", tmp.resolve("models").toString())),
            new SimpleMeterRegistry());
    GatewayComponent gateway =
        new GatewayComponent(
            cluster.context(
                tmp.resolve("gateway"),
                Map.of(
                    "gateway.http.port",
                    "0",
                    "gateway.grpc.port",
                    "0",
                    "gateway.host",
                    "127.0.0.1")));
    return new WorkerAndGateway(cluster, control, worker, gateway);
  }

  @Override
  public void close() throws Exception {
    try (cluster;
        control;
        worker;
        gateway) {
      // closed in reverse order: gateway, worker, control publisher, cluster
    }
  }
}
