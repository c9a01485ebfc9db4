package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class StartPhasesTest {

  @Test
  void theControlPlaneStartsWithWhatDoesNotNeedItAndTheRestAfter() {
    ComponentFactory gateway = factory("gateway", 50, true);
    ComponentFactory controlPlane = factory("control-plane", 10, true);
    ComponentFactory processors = factory("stream-processors", 30, false);
    ComponentFactory workers = factory("model-workers", 20, true);

    assertThat(StartPhases.of(List.of(gateway, processors, workers, controlPlane)))
        .containsExactly(List.of(controlPlane, processors), List.of(workers, gateway));
  }

  @Test
  void theComponentsOnKaskadesClassPathStartInTwoPhasesWithTheControlPlaneFirst() {
    List<ComponentFactory> factories =
        ServiceLoader.load(ComponentFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    List<List<ComponentFactory>> phases = StartPhases.of(factories);

    assertThat(phases).hasSize(2);
    assertThat(names(phases.get(0)))
        .startsWith("control-plane")
        .containsExactlyInAnyOrder(
            "control-plane", "stream-processors", "payload-logger", "audit-sink");
    assertThat(names(phases.get(1))).contains("model-workers", "dispatcher", "gateway");
  }

  @Test
  void aLoneComponentIsOnePhaseAndNoneIsNone() {
    ComponentFactory only = factory("gateway", 50, true);
    assertThat(StartPhases.of(List.of(only))).containsExactly(List.of(only));
    assertThat(StartPhases.of(List.of())).isEmpty();
  }

  private static List<String> names(List<ComponentFactory> phase) {
    return phase.stream().map(ComponentFactory::componentName).toList();
  }

  private static ComponentFactory factory(String name, int order, boolean afterControlPlane) {
    return new ComponentFactory() {
      @Override
      public String componentName() {
        return name;
      }

      @Override
      public int order() {
        return order;
      }

      @Override
      public boolean startsAfterControlPlane() {
        return afterControlPlane;
      }

      @Override
      public KaskadeComponent create(KaskadeContext context) {
        throw new UnsupportedOperationException("not started in this test");
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
