package dev.kaskade.processors.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.processors.transform.TransformerLoader;
import dev.kaskade.processors.transform.TransformerPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StatusReporterTest {
  private static final Set<String> ALL = Set.of("transformer", "explainer", "graph");

  /** Sent records in order; a null status is a tombstone. */
  private record Sent(String key, ModelState state) {}

  private static final class RecordingSink implements StatusReporter.Sink {
    final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void send(String key, ComponentStatus status) {
      sent.add(new Sent(key, status == null ? null : status.getState()));
    }

    synchronized List<Sent> sent() {
      return List.copyOf(sent);
    }

    @Override
    public void close() {}
  }

  private final RecordingSink sink = new RecordingSink();

  private StatusReporter reporter(Supplier<? extends Collection<ResourceEvent>> resources) {
    return new StatusReporter(resources, ALL, spec -> {}, () -> true, sink, "p-1");
  }

  @Test
  void aFailingControlCacheIsRetriedOncePerTickNotInATightLoop() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (StatusReporter ignored =
        reporter(
            () -> {
              calls.incrementAndGet();
              throw new IllegalStateException("cache broken");
            })) {
      Thread.sleep(StatusReporter.TICK.multipliedBy(3).toMillis());
    }
    assertThat(calls.get()).isBetween(1, 6);
  }

  @Test
  void publishesReadyOnceThenATombstoneWhenTheResourceGoesAwayAndUnloadedOnClose() {
    ResourceEvent graph =
        Fixtures.graph(
            "ns",
            "g",
            "{\"root\":{\"routerType\":\"Sequence\",\"steps\":[{\"serviceName\":\"a\"}]}}");
    ResourceEvent explained = Fixtures.resource("ns", "lin", Fixtures.withExplainer("l-1", "{}"));
    AtomicReference<List<ResourceEvent>> resources =
        new AtomicReference<>(List.of(graph, explained));
    StatusReporter reporter = reporter(resources::get);
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.sent().size() == 2);
    assertThat(sink.sent()).extracting(Sent::state).containsOnly(ModelState.Ready);
    String graphKey =
        sink.sent().stream().filter(s -> s.key().contains("graph")).findFirst().orElseThrow().key();

    resources.set(List.of(explained));
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.sent().size() == 3);
    assertThat(sink.sent().get(2)).isEqualTo(new Sent(graphKey, null));

    reporter.close();
    assertThat(sink.sent()).hasSize(4);
    assertThat(sink.sent().get(3).state()).isEqualTo(ModelState.Unloaded);
  }

  @Test
  void buildsEachTransformerSpecOnceAndForgetsSpecsNoLongerInUse() throws Exception {
    ResourceEvent v1 = Fixtures.resource("ns", "shop", Fixtures.withTransformer("shop-1", "[]"));
    ResourceEvent v2 = Fixtures.resource("ns", "shop", Fixtures.withTransformer("shop-2", "[ ]"));
    AtomicReference<List<ResourceEvent>> resources = new AtomicReference<>(List.of(v1));
    List<String> built = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (StatusReporter ignored =
        new StatusReporter(
            resources::get, ALL, spec -> built.add(spec.getStepsJson()), () -> true, sink, "p")) {
      Thread.sleep(StatusReporter.TICK.multipliedBy(3).toMillis());
      resources.set(List.of(v2));
      Thread.sleep(StatusReporter.TICK.multipliedBy(3).toMillis());
      resources.set(List.of(v1));
      await().atMost(Duration.ofSeconds(15)).until(() -> built.size() == 3);
    }
    assertThat(built)
        .as("v1 was forgotten while unused, so it is built again")
        .containsExactly("[]", "[ ]", "[]");
  }

  @Test
  void aTransformerClassNotAllowedByTheOperatorIsReportedFailedToLoadNamingTheSetting() {
    ResourceEvent shop =
        Fixtures.resource(
            "ns",
            "shop",
            Fixtures.isvc("shop-1")
                .setTransformer(
                    dev.kaskade.events.TransformerSpec.newBuilder()
                        .setStepsJson("[]")
                        .setSpiClass("com.attacker.Payload")
                        .build())
                .build());
    List<ComponentStatus> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    StatusReporter.Sink capture =
        new StatusReporter.Sink() {
          @Override
          public void send(String key, ComponentStatus status) {
            statuses.add(status);
          }

          @Override
          public void close() {}
        };
    TransformerLoader loader = new TransformerLoader();
    try (StatusReporter ignored =
        new StatusReporter(() -> List.of(shop), ALL, loader::load, () -> true, capture, "p")) {
      await().atMost(Duration.ofSeconds(15)).until(() -> !statuses.isEmpty());
    }
    ComponentStatus status = statuses.get(0);
    assertThat(status.getState()).isEqualTo(ModelState.FailedToLoad);
    assertThat(status.getMessage())
        .contains("com.attacker.Payload")
        .contains(TransformerPolicy.ALLOWED_CLASSES);
  }

  @Test
  void anExplainerWhoseLoopStoppedIsReportedFailedToLoad() {
    ResourceEvent explained = Fixtures.resource("ns", "lin", Fixtures.withExplainer("l-1", "{}"));
    AtomicBoolean alive = new AtomicBoolean(true);
    try (StatusReporter ignored =
        new StatusReporter(() -> List.of(explained), ALL, spec -> {}, alive::get, sink, "p")) {
      await().atMost(Duration.ofSeconds(15)).until(() -> sink.sent().size() == 1);
      alive.set(false);
      await().atMost(Duration.ofSeconds(15)).until(() -> sink.sent().size() == 2);
    }
    assertThat(sink.sent().get(0).state()).isEqualTo(ModelState.Ready);
    assertThat(sink.sent().get(1).state()).isEqualTo(ModelState.FailedToLoad);
  }
}
