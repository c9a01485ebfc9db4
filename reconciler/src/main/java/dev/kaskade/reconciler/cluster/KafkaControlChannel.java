package dev.kaskade.reconciler.cluster;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.publish.ControlPublisher;
import dev.kaskade.reconciler.publish.ControlSnapshot;
import dev.kaskade.reconciler.status.StatusView;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The control topics on Kafka: a publisher plus a live view of both compacted topics. The
 * reconciler is the only writer of control resources, so its own last write wins over the view,
 * which may lag behind by a poll.
 */
public final class KafkaControlChannel implements ControlChannel, AutoCloseable {
  private final ControlPublisher publisher;
  private final StatusView view;
  private final ControlSnapshot written = new ControlSnapshot(Map.of(), Map.of());

  public KafkaControlChannel(
      KaskadeContext ctx, String domain, Consumer<ComponentStatus> onStatus) {
    this.publisher = new ControlPublisher(ctx);
    publisher.ensurePlatformTopics();
    this.view = new StatusView(ctx, domain, onStatus);
    view.start();
  }

  @Override
  public synchronized Optional<ResourceEvent> current(String kind, String namespace, String name) {
    ResourceKind resourceKind = ResourceKind.fromKind(kind).orElseThrow();
    return written
        .current(resourceKind, namespace, name)
        .or(() -> view.resource(kind, namespace, name));
  }

  @Override
  public synchronized void publish(Plan plan) {
    ControlSnapshot snapshot = view.snapshot();
    written.resources().values().forEach(snapshot::put);
    publisher.publish(plan, snapshot);
    written.put(plan.event());
  }

  @Override
  public synchronized void delete(String kind, String namespace, String name) {
    publisher.delete(kind, namespace, name, view.snapshot());
    written.resources().remove(ResourceKeys.resource(kind, namespace, name));
  }

  @Override
  public List<ComponentStatus> statuses(String kind, String namespace, String name) {
    return view.statusesOf(kind, namespace, name);
  }

  @Override
  public void close() {
    view.close();
    publisher.close();
  }
}
