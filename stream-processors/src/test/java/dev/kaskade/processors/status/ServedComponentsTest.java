package dev.kaskade.processors.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.status.ServedComponents.Report;
import dev.kaskade.processors.testing.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServedComponentsTest {
  private static final Set<String> ALL = Set.of("transformer", "explainer", "graph", "monitor");

  private final ResourceEvent transformed =
      Fixtures.resource("ns", "shop", Fixtures.withTransformer("shop-1", "[]"));
  private final ResourceEvent explained =
      Fixtures.resource("ns", "lin", Fixtures.withExplainer("lin-1", "{}"));
  private final ResourceEvent plain = Fixtures.resource("ns", "a", Fixtures.isvc("a-1").build());
  private final ResourceEvent graph =
      Fixtures.graph(
          "ns",
          "g",
          "{\"root\":{\"routerType\":\"Sequence\",\"steps\":[{\"serviceName\":\"a\"}]}}");

  @Test
  void reportsTheTransformerExplainerAndGraphItServes() {
    List<Report> reports =
        ServedComponents.of(
            List.of(transformed, explained, plain, graph), ALL, spec -> Optional.empty());

    assertThat(reports)
        .extracting(Report::name, Report::component, Report::revision, Report::state)
        .containsExactlyInAnyOrder(
            tuple("shop", "transformer", "", ModelState.Ready),
            tuple("lin", "explainer", "", ModelState.Ready),
            tuple("g", "graph", "", ModelState.Ready));
  }

  @Test
  void aTransformerThatCannotBeBuiltIsFailedToLoadWithTheError() {
    List<Report> reports =
        ServedComponents.of(List.of(transformed), ALL, spec -> Optional.of("no jar"));

    assertThat(reports)
        .extracting(Report::state, Report::message)
        .containsExactly(tuple(ModelState.FailedToLoad, "no jar"));
  }

  @Test
  void anUnreadableGraphIsFailedToLoad() {
    ResourceEvent broken = Fixtures.graph("ns", "bad", "not json");

    assertThat(ServedComponents.of(List.of(broken), ALL, spec -> Optional.empty()))
        .extracting(Report::state)
        .containsExactly(ModelState.FailedToLoad);
  }

  @Test
  void reportsOnlyWhatThisInstanceRuns() {
    assertThat(
            ServedComponents.of(
                List.of(transformed, explained, graph), Set.of("monitor"), s -> Optional.empty()))
        .isEmpty();
  }
}
