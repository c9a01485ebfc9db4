package dev.kaskade.workers.backend.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.ModelMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BridgeJsonTest {

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void v1RequestSendsTheRowsOfASingleInputAsInstances() {
    Tensor input = Tensors.ofLongs("x", List.of(2L, 2L), new long[] {1, 2, 3, 4});
    assertThat(text(BridgeJson.v1Request(List.of(input))))
        .isEqualTo("{\"instances\":[[1,2],[3,4]]}");
  }

  @Test
  void v1RequestWithSeveralInputsSendsNamedRows() {
    Tensor a = Tensors.ofLongs("a", List.of(2L), new long[] {1, 2});
    Tensor b = Tensors.ofStrings("b", List.of(2L), List.of("x", "y"));
    assertThat(text(BridgeJson.v1Request(List.of(a, b))))
        .isEqualTo("{\"instances\":[{\"a\":1,\"b\":\"x\"},{\"a\":2,\"b\":\"y\"}]}");
  }

  @Test
  void v1PredictionsBecomeATensorTypedByTheirValues() {
    Tensor ints = BridgeJson.v1Outputs(json("{\"predictions\":[1,0,2]}")).get(0);
    assertThat(ints.getName()).isEqualTo("predictions");
    assertThat(ints.getDatatype()).isEqualTo(DataType.INT64);
    assertThat(ints.getShape()).containsExactly(3L);
    assertThat(Tensors.toDoubles(ints)).containsExactly(1, 0, 2);

    Tensor probs = BridgeJson.v1Outputs(json("{\"predictions\":[[0.5,0.5],[1,0]]}")).get(0);
    assertThat(probs.getDatatype()).isEqualTo(DataType.FP64);
    assertThat(probs.getShape()).containsExactly(2L, 2L);

    Tensor labels = BridgeJson.v1Outputs(json("{\"predictions\":[\"a\",{\"k\":1}]}")).get(0);
    assertThat(labels.getDatatype()).isEqualTo(DataType.BYTES);
    assertThat(Tensors.toByteElements(labels).stream().map(String::new))
        .containsExactly("a", "{\"k\":1}");
  }

  @Test
  void v2RequestCarriesTensorsAndRequestedOutputs() {
    Tensor input = Tensors.ofFloats("input-0", List.of(1L, 2L), new float[] {1.5f, 2});
    assertThat(text(BridgeJson.v2Request(List.of(input), Set.of("out"))))
        .isEqualTo(
            "{\"inputs\":[{\"name\":\"input-0\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                + "\"data\":[1.5,2.0]}],\"outputs\":[{\"name\":\"out\"}]}");
  }

  @Test
  void v2OutputsKeepNameTypeAndShapeAndAcceptNestedData() {
    List<Tensor> outputs =
        BridgeJson.v2Outputs(
            json(
                "{\"outputs\":[{\"name\":\"p\",\"datatype\":\"FP32\",\"shape\":[2,2],"
                    + "\"data\":[[0.25,0.75],[1,0]]},"
                    + "{\"name\":\"l\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"a\",\"b\"]}]}"));
    assertThat(outputs.get(0).getDatatype()).isEqualTo(DataType.FP32);
    assertThat(Tensors.toFloats(outputs.get(0))).containsExactly(0.25f, 0.75f, 1f, 0f);
    assertThat(outputs.get(1).getShape()).containsExactly(2L);
  }

  @Test
  void anAnswerThatDoesNotFitItsShapeIsAnInternalError() {
    assertThatThrownBy(
            () ->
                BridgeJson.v2Outputs(
                    json(
                        "{\"outputs\":[{\"name\":\"p\",\"datatype\":\"INT32\",\"shape\":[3],"
                            + "\"data\":[1]}]}")))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining("shape [3] needs 3 values, got 1");
  }

  @Test
  void metadataWithoutASignatureMeansTheServerValidates() {
    ModelMetadata none =
        BridgeJson.v2Metadata(json("{\"name\":\"m\",\"inputs\":[],\"outputs\":[]}"), "m");
    assertThat(none.inputs()).isEmpty();
    ModelMetadata typed =
        BridgeJson.v2Metadata(
            json(
                "{\"platform\":\"x\",\"inputs\":[{\"name\":\"i\",\"datatype\":\"FP32\","
                    + "\"shape\":[-1,4]}],\"outputs\":[]}"),
            "m");
    assertThat(typed.inputs().get(0).shape()).containsExactly(-1L, 4L);
    assertThat(typed.platform()).isEqualTo("x");
  }

  @Test
  void errorMessagesComeFromTheErrorFieldOrTheRawBody() {
    assertThat(BridgeJson.errorMessage(json("{\"error\":\"bad shape\"}"))).isEqualTo("bad shape");
    assertThat(BridgeJson.errorMessage(json("{\"detail\":\"nope\"}"))).isEqualTo("nope");
    assertThat(BridgeJson.errorMessage(json("Internal Server Error\n")))
        .isEqualTo("Internal Server Error");
  }
}
