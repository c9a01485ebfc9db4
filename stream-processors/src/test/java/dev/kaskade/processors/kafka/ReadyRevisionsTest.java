package dev.kaskade.processors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.route.TrafficSplit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadyRevisionsTest {
  private static final String NS = "team";
  private final ReadyRevisions table = new ReadyRevisions();

  private static InferenceServiceSpec canary(int percent) {
    return Fixtures.isvc("m-predictor-new")
        .setPreviousPredictor(
            PredictorSpec.newBuilder()
                .setRevision("m-predictor-old")
                .setModelFormat("onnx")
                .build())
        .setCanaryTrafficPercent(percent)
        .build();
  }

  private static ComponentStatus status(
      String kind, String name, String component, String revision, ModelState state) {
    return ComponentStatus.newBuilder()
        .setKind(kind)
        .setNamespace(NS)
        .setName(name)
        .setComponent(component)
        .setRevision(revision)
        .setState(state)
        .build();
  }

  private void report(String revision, String instance, ModelState state) {
    table.apply(
        ResourceKeys.status("InferenceService", NS, "m", "predictor", revision, instance),
        status("InferenceService", "m", "predictor", revision, state));
  }

  private static String idIn(String revision, InferenceServiceSpec spec, boolean wanted) {
    for (int i = 0; ; i++) {
      String id = "req-" + i;
      if (TrafficSplit.revisionFor(id, spec).equals(revision) == wanted) {
        return id;
      }
    }
  }

  @Test
  void shouldSendToLatestRevisionWhenItIsReadyAndThereIsNoCanary() {
    report("m-predictor-1", "w1", ModelState.Ready);

    assertThat(table.direct(NS, "m", Fixtures.isvc("m-predictor-1").build(), "r1"))
        .contains("m-predictor-1");
  }

  @Test
  void shouldUseRequestsTopicWhenServiceHasTransformer() {
    report("m-predictor-1", "w1", ModelState.Ready);

    assertThat(table.direct(NS, "m", Fixtures.withTransformer("m-predictor-1", "[]"), "r1"))
        .isEmpty();
  }

  @Test
  void shouldUseRequestsTopicWhenNoRevisionIsReady() {
    report("m-predictor-1", "w1", ModelState.Loading);

    assertThat(table.direct(NS, "m", Fixtures.isvc("m-predictor-1").build(), "r1")).isEmpty();
    assertThat(table.direct(NS, "m", null, "r1")).isEmpty();
  }

  @Test
  void shouldPickTheTrafficSplitRevisionForEveryRequestIdWhenBothAreReady() {
    report("m-predictor-new", "w1", ModelState.Ready);
    report("m-predictor-old", "w2", ModelState.Ready);
    InferenceServiceSpec spec = canary(30);

    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String id = "graph-" + i + ".m.1f";
      Optional<String> revision = table.direct(NS, "m", spec, id);
      assertThat(revision).contains(TrafficSplit.revisionFor(id, spec));
      seen.add(revision.orElseThrow());
    }
    assertThat(seen).containsExactlyInAnyOrder("m-predictor-new", "m-predictor-old");
  }

  @Test
  void shouldFallBackToTheOtherRevisionWhenTheChosenOneIsNotReady() {
    InferenceServiceSpec spec = canary(50);
    report("m-predictor-old", "w2", ModelState.Ready);
    report("m-predictor-new", "w1", ModelState.Loading);

    assertThat(table.direct(NS, "m", spec, idIn("m-predictor-new", spec, true)))
        .contains("m-predictor-old");
    assertThat(table.direct(NS, "m", spec, idIn("m-predictor-old", spec, true)))
        .contains("m-predictor-old");
  }

  @Test
  void shouldSendShadowCanaryTrafficToThePreviousRevision() {
    InferenceServiceSpec spec = canary(0);
    report("m-predictor-old", "w2", ModelState.Ready);
    report("m-predictor-new", "w1", ModelState.Ready);

    assertThat(table.direct(NS, "m", spec, "any")).contains("m-predictor-old");
  }

  @Test
  void shouldUseRequestsTopicWhenTheRevisionServesSeveralModels() {
    InferenceServiceSpec spec =
        InferenceServiceSpec.newBuilder()
            .setPredictor(
                PredictorSpec.newBuilder()
                    .setRevision("m-predictor-1")
                    .setModelFormat("sklearn")
                    .setMultiModel(true)
                    .build())
            .build();
    report("m-predictor-1", "w1", ModelState.Ready);

    assertThat(table.direct(NS, "m", spec, "r1")).isEmpty();
  }

  @Test
  void shouldStayReadyWhileAnyInstanceIsReadyAndForgetWhenTheLastOneLeaves() {
    report("m-predictor-1", "w1", ModelState.Ready);
    report("m-predictor-1", "w2", ModelState.Ready);

    report("m-predictor-1", "w1", ModelState.Unloaded);
    assertThat(table.ready(NS, "m", "m-predictor-1")).isTrue();

    table.apply(
        ResourceKeys.status("InferenceService", NS, "m", "predictor", "m-predictor-1", "w2"), null);
    assertThat(table.ready(NS, "m", "m-predictor-1")).isFalse();

    report("m-predictor-1", "w1", ModelState.Ready);
    assertThat(table.ready(NS, "m", "m-predictor-1")).isTrue();
  }

  @Test
  void shouldIgnoreReadyStatusesOfOtherComponentsKindsAndServices() {
    table.apply(
        "k1", status("InferenceService", "m", "transformer", "m-predictor-1", ModelState.Ready));
    table.apply("k2", status("TrainedModel", "m", "predictor", "m-predictor-1", ModelState.Ready));
    table.apply(
        "k3", status("InferenceService", "n", "predictor", "m-predictor-1", ModelState.Ready));

    assertThat(table.ready(NS, "m", "m-predictor-1")).isFalse();
    assertThat(table.direct(NS, "m", Fixtures.isvc("m-predictor-1").build(), "r1")).isEmpty();
    assertThat(table.ready(NS, "n", "m-predictor-1")).isTrue();
  }
}
