package dev.kaskade.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphViewTest {
  private static final JsonObject NODES =
      new JsonObject(
          """
          {"ensemble": {"routerType": "Ensemble", "steps": [
             {"name": "a", "serviceName": "iris"}, {"name": "b", "serviceUrl": "http://x/y"}]},
           "root": {"routerType": "Sequence", "steps": [
             {"serviceName": "pre"}, {"name": "fan", "nodeName": "ensemble"}]}}
          """);

  @Test
  void rootComesFirstAndStepsNameWhatTheyCallWithTheirLatency() {
    JsonObject view =
        GraphView.of(
            "g",
            NODES,
            Map.of(GraphView.stepKey("root", "0"), new GraphView.StepLatency(4, 2.5, 7.0)));

    JsonObject root = view.getJsonArray("nodes").getJsonObject(0);
    assertThat(root.getString("name")).isEqualTo("root");
    assertThat(root.getString("router_type")).isEqualTo("Sequence");
    JsonObject first = root.getJsonArray("steps").getJsonObject(0);
    assertThat(first.getString("name")).isEqualTo("0");
    assertThat(first.getString("target")).isEqualTo("pre");
    assertThat(first.getJsonObject("latency").getDouble("mean_ms")).isEqualTo(2.5);
    JsonObject fan = root.getJsonArray("steps").getJsonObject(1);
    assertThat(fan.getString("target_kind")).isEqualTo("node");
    assertThat(fan.getValue("latency")).isNull();
    JsonObject ensemble = view.getJsonArray("nodes").getJsonObject(1);
    assertThat(ensemble.getJsonArray("steps").getJsonObject(1).getString("target_kind"))
        .isEqualTo("url");
  }

  @Test
  void aGraphWithoutNodesHasAnEmptyDrawing() {
    assertThat(GraphView.of("g", new JsonObject(), Map.of()).getJsonArray("nodes")).isEmpty();
  }
}
