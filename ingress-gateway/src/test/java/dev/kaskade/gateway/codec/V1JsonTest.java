package dev.kaskade.gateway.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.gateway.route.ModelMetadata;
import dev.kaskade.schemas.tensor.Tensors;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class V1JsonTest {
  static {
    dev.kaskade.schemas.serde.AvroTrust.install();
  }

  private static final ModelMetadata META =
      ModelMetadata.parse(
          """
          {"name":"m","inputs":[{"name":"feat","datatype":"FP64","shape":[-1,2]}],"outputs":[]}""");

  @Test
  void numericRowsBecomeOneTensorNamedAfterTheFirstInput() {
    var input = V1Json.toInput(new JsonObject("{\"instances\":[[1,2],[3,4]]}"), META, false);

    assertThat(input.jsonPayload()).isNull();
    assertThat(input.inputs().get(0).getName()).isEqualTo("feat");
    assertThat(input.inputs().get(0).getDatatype()).isEqualTo(DataType.FP64);
    assertThat(input.inputs().get(0).getShape()).containsExactly(2L, 2L);
  }

  @Test
  void inputsKeyIsAnAliasOfInstances() {
    var input = V1Json.toInput(new JsonObject("{\"inputs\":[1,2,3]}"), META, false);

    assertThat(input.inputs().get(0).getShape()).containsExactly(3L);
  }

  @Test
  void objectsAndPassThroughStayJson() {
    assertThat(
            V1Json.toInput(new JsonObject("{\"instances\":[{\"a\":1}]}"), META, false)
                .jsonPayload())
        .contains("\"a\":1");
    assertThat(V1Json.toInput(new JsonObject("{\"instances\":[[1,2]]}"), META, true).jsonPayload())
        .isNotNull();
  }

  @Test
  void raggedRowsAndMissingInstancesAreRejected() {
    assertThatThrownBy(
            () -> V1Json.toInput(new JsonObject("{\"instances\":[[1,2],[3]]}"), META, false))
        .hasMessageContaining("not rectangular");
    assertThatThrownBy(() -> V1Json.instances(new JsonObject("{\"x\":1}")))
        .hasMessageContaining("\"instances\"");
  }

  @Test
  void predictionsAreRowsOfTheFirstOutputOrTheJsonPayload() {
    InferenceResponse tensor =
        InferenceResponse.newBuilder()
            .setId("1")
            .setModel("m")
            .setOutputs(List.of(Tensors.ofLongs("y", List.of(2L, 2L), new long[] {1, 2, 3, 4})))
            .build();
    assertThat(V1Json.predictions(tensor).encode()).isEqualTo("{\"predictions\":[[1,2],[3,4]]}");

    InferenceResponse json =
        InferenceResponse.newBuilder().setId("1").setModel("m").setJsonPayload("[\"cat\"]").build();
    assertThat(V1Json.predictions(json).encode()).isEqualTo("{\"predictions\":[\"cat\"]}");
  }
}
