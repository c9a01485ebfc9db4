package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class StartOrderTest {
  private record Factory(String componentName, int order, boolean startsBesideControlPlane)
      implements ComponentFactory {
    @Override
    public KaskadeComponent create(KaskadeContext context) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void theFirstByOrderStartsWithThoseThatMayStartBesideItThenTheRest() {
    Factory gateway = new Factory("gateway", 50, false);
    Factory logger = new Factory("payload-logger", 35, true);
    Factory control = new Factory("control-plane", 10, false);
    Factory workers = new Factory("model-workers", 20, false);
    Factory sink = new Factory("audit-sink", 40, true);

    StartOrder order = StartOrder.of(List.of(gateway, logger, control, workers, sink));

    assertThat(order.first()).isEqualTo(control);
    assertThat(order.beside()).containsExactly(logger, sink);
    assertThat(order.after()).containsExactly(workers, gateway);
    assertThat(order.all()).containsExactly(control, workers, logger, sink, gateway);
  }

  @Test
  void theShippedComponentsThatNeedNoResourceStartBesideTheControlPlane() {
    List<ComponentFactory> shipped = new java.util.ArrayList<>();
    ServiceLoader.load(ComponentFactory.class).forEach(shipped::add);

    StartOrder order = StartOrder.of(shipped);

    assertThat(order.first().componentName()).isEqualTo("control-plane");
    assertThat(order.beside())
        .extracting(ComponentFactory::componentName)
        .containsExactlyInAnyOrder("stream-processors", "payload-logger", "audit-sink");
    assertThat(order.after())
        .extracting(ComponentFactory::componentName)
        .contains("model-workers", "gateway");
  }

  @Test
  void nothingToStartIsAnError() {
    assertThatThrownBy(() -> StartOrder.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
