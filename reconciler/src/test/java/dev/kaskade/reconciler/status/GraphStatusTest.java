package dev.kaskade.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GraphStatusTest {
  private static final String NODES =
      "{\"scorer\":{\"routerType\":\"Sequence\",\"steps\":[{\"serviceName\":\"third\"}]},"
          + "\"root\":{\"routerType\":\"Sequence\",\"steps\":["
          + "{\"serviceName\":\"first\"},{\"nodeName\":\"scorer\"},{\"serviceName\":\"second\"}]}}";

  private final ResourceEvent graph =
      ResourceEvent.newBuilder()
          .setKind("InferenceGraph")
          .setNamespace("default")
          .setName("chain")
          .setSpec(InferenceGraphSpec.newBuilder().setNodesJson(NODES).build())
          .build();

  private static ComponentStatus router(ModelState state) {
    return ComponentStatus.newBuilder()
        .setKind("InferenceGraph")
        .setNamespace("default")
        .setName("chain")
        .setComponent(GraphStatus.COMPONENT)
        .setState(state)
        .setInstance("processors-1")
        .build();
  }

  private static InferenceServiceStatus service(String ready, String reason) {
    Condition c = new Condition();
    c.setType("Ready");
    c.setStatus(ready);
    c.setReason(reason);
    InferenceServiceStatus status = new InferenceServiceStatus();
    status.setConditions(List.of(c));
    return status;
  }

  private Condition ready(List<ComponentStatus> router, Map<String, InferenceServiceStatus> all) {
    return GraphStatus.of(graph, router, name -> Optional.ofNullable(all.get(name)))
        .getConditions()
        .get(0);
  }

  @Test
  void listsTheServicesItCallsRootFirst() {
    assertThat(GraphStatus.serviceNames(graph)).containsExactly("first", "second", "third");
  }

  @Test
  void readyWhenTheRouterServesItAndEveryServiceIsReady() {
    Condition ready =
        ready(
            List.of(router(ModelState.Ready)),
            Map.of(
                "first", service("True", null),
                "second", service("True", null),
                "third", service("True", null)));

    assertThat(ready.getStatus()).isEqualTo("True");
  }

  @Test
  void namesTheFirstServiceThatIsNotReady() {
    Condition ready =
        ready(
            List.of(router(ModelState.Ready)),
            Map.of(
                "first", service("True", null),
                "second", service("Unknown", "Loading"),
                "third", service("False", "ModelLoadFailed")));

    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("InferenceServiceNotReady");
    assertThat(ready.getMessage()).contains("second").contains("Loading");
  }

  @Test
  void aMissingServiceMakesTheGraphNotReady() {
    Condition ready =
        ready(List.of(router(ModelState.Ready)), Map.of("first", service("True", null)));

    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains("second");
  }

  @Test
  void waitsForTheGraphRouter() {
    Condition ready = ready(List.of(), Map.of());

    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getMessage()).contains("graph router");
  }
}
