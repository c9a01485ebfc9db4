package dev.kaskade.processors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamsDemandTest {
  private static final ResourceEvent PLAIN =
      Fixtures.resource("default", "iris", Fixtures.isvc("iris-predictor-1").build());
  private static final ResourceEvent TRANSFORMED =
      Fixtures.resource(
          "default", "t", Fixtures.withTransformer("t-predictor-1", "[{\"op\":\"identity\"}]"));
  private static final ResourceEvent DRIFT =
      Fixtures.resource(
          "default", "d", Fixtures.withMonitor("d-predictor-1", "{\"drift\":{\"window\":40}}"));
  private static final ResourceEvent OUTLIER =
      Fixtures.resource(
          "default", "o", Fixtures.withMonitor("o-predictor-1", "{\"outlier\":{\"threshold\":3}}"));

  @Test
  void plainInferenceServicesNeedNeitherApplication() {
    List<ResourceEvent> known = List.of(PLAIN, Fixtures.graph("default", "g", "{}"));
    assertThat(StreamsDemand.anyNeeds(known, StreamsDemand.TRANSFORMER)).isFalse();
    assertThat(StreamsDemand.anyNeeds(known, StreamsDemand.MONITOR)).isFalse();
    assertThat(StreamsDemand.anyNeeds(List.of(), StreamsDemand.MONITOR)).isFalse();
  }

  @Test
  void aTransformerNeedsTheTransformerOnly() {
    List<ResourceEvent> known = List.of(PLAIN, TRANSFORMED);
    assertThat(StreamsDemand.anyNeeds(known, StreamsDemand.TRANSFORMER)).isTrue();
    assertThat(StreamsDemand.anyNeeds(known, StreamsDemand.MONITOR)).isFalse();
  }

  @Test
  void driftOrOutlierSettingsNeedTheMonitorOnly() {
    assertThat(StreamsDemand.anyNeeds(List.of(PLAIN, DRIFT), StreamsDemand.MONITOR)).isTrue();
    assertThat(StreamsDemand.anyNeeds(List.of(OUTLIER), StreamsDemand.MONITOR)).isTrue();
    assertThat(StreamsDemand.anyNeeds(List.of(DRIFT, OUTLIER), StreamsDemand.TRANSFORMER))
        .isFalse();
  }
}
