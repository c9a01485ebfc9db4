package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.gateway.route.RoutingTable;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.topic.Topics;
import org.junit.jupiter.api.Test;

class GatewayServicesTest {
  private final RoutingTable table = new RoutingTable(Topics.withDefaultPrefix());
  private final GatewayServices services = new GatewayServices(null, table, null, null, () -> true);

  @Test
  void aModelKnownInTheCallsOwnNamespaceKeepsItsNameAsMetricLabel() {
    table.applyResource(
        ResourceKeys.resource("InferenceService", "team", "iris"),
        Resources.isvc("team", "iris", Resources.spec("rev-a").build()));

    assertThat(services.metricLabel("team", "iris")).isEqualTo("iris");
    assertThat(services.metricLabel("default", "iris")).isEqualTo(GatewayServices.UNKNOWN_MODEL);
    assertThat(services.metricLabel("team", null)).isEqualTo(GatewayServices.UNKNOWN_MODEL);
  }
}
