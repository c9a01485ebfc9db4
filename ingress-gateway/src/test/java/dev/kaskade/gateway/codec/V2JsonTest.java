package dev.kaskade.gateway.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class V2JsonTest {
  static {
    dev.kaskade.schemas.serde.AvroTrust.install();
  }

  private static V2Request parse(String json) {
    return V2Json.parseRequest(Buffer.buffer(json), null);
  }

  private static String input(String datatype, String shape, String data) {
    return """
        {"id":"1","inputs":[{"name":"x","datatype":"%s","shape":%s,"data":%s}]}"""
        .formatted(datatype, shape, data);
  }

  @Test
  void nestedAndFlatDataGiveTheSameBytes() {
    Tensor nested = parse(input("INT32", "[2,2]", "[[1,2],[3,4]]")).inputs().get(0);
    Tensor flat = parse(input("INT32", "[2,2]", "[1,2,3,4]")).inputs().get(0);

    assertThat(nested.getData()).isEqualTo(flat.getData());
    assertThat(Tensors.toDoubles(flat)).containsExactly(1, 2, 3, 4);
  }

  @Test
  void everyJsonDatatypeRoundTrips() {
    String[][] cases = {
      {"BOOL", "[true,false]"},
      {"INT8", "[-128,127]"},
      {"UINT8", "[0,255]"},
      {"INT16", "[-32768,32767]"},
      {"UINT16", "[0,65535]"},
      {"INT32", "[-2147483648,2147483647]"},
      {"UINT32", "[0,4294967295]"},
      {"INT64", "[-9223372036854775808,9223372036854775807]"},
      {"UINT64", "[0,18446744073709551615]"},
      {"FP32", "[1.5,-0.25]"},
      {"FP64", "[1.0E-300,2.5]"},
      {"BYTES", "[\"a\",\"héllo\"]"}
    };
    for (String[] c : cases) {
      V2Request request = parse(input(c[0], "[2]", c[1]));
      InferenceResponse response =
          InferenceResponse.newBuilder()
              .setId("1")
              .setModel("m")
              .setOutputs(request.inputs())
              .build();
      JsonObject out =
          new JsonObject(V2Json.encodeResponse(response, "m", request).body().toString());
      assertThat(out.getJsonArray("outputs").getJsonObject(0).getJsonArray("data").encode())
          .as(c[0])
          .isEqualTo(c[1]);
    }
  }

  @Test
  void rejectsOutOfRangeAndWrongElements() {
    assertThatThrownBy(() -> parse(input("UINT8", "[1]", "[256]")))
        .hasMessageContaining("tensor 'x': element 256 is out of range for UINT8");
    assertThatThrownBy(() -> parse(input("INT32", "[1]", "[1.5]")))
        .hasMessageContaining("element 1.5 is not a valid INT32");
    assertThatThrownBy(() -> parse(input("BYTES", "[1]", "[1]")))
        .hasMessageContaining("is not a valid BYTES");
    assertThatThrownBy(() -> parse(input("FP16", "[1]", "[1.0]")))
        .hasMessageContaining("binary tensor data extension");
    assertThatThrownBy(() -> parse(input("FP99", "[1]", "[1.0]")))
        .hasMessageContaining("unknown datatype");
  }

  @Test
  void rejectsDataThatDoesNotFillTheShape() {
    assertThatThrownBy(() -> parse(input("FP32", "[2,3]", "[1,2,3,4,5]")))
        .hasMessageContaining("tensor 'x': shape [2, 3] needs 6 elements, got 5");
  }

  @Test
  void malformedJsonIsUnrecognized() {
    assertThatThrownBy(() -> parse("{\"inputs\": ["))
        .hasMessageStartingWith("Unrecognized request format");
    assertThatThrownBy(() -> parse("{}")).hasMessageContaining("'inputs'");
  }

  @Test
  void binaryInputsFollowTheJsonHeaderInOrder() {
    String header =
        """
        {"inputs":[{"name":"a","datatype":"FP16","shape":[2],"parameters":{"binary_data_size":4}},
                   {"name":"b","datatype":"BOOL","shape":[3],"parameters":{"binary_data_size":3}}]}""";
    Buffer body = Buffer.buffer(header);
    int length = body.length();
    body.appendShortLE(Float.floatToFloat16(1.5f)).appendShortLE(Float.floatToFloat16(-2f));
    body.appendBytes(new byte[] {1, 0, 1});

    V2Request request = V2Json.parseRequest(body, length);

    assertThat(request.id()).isNotBlank();
    assertThat(Tensors.toDoubles(request.inputs().get(0))).containsExactly(1.5, -2.0);
    assertThat(Tensors.toDoubles(request.inputs().get(1))).containsExactly(1, 0, 1);
    assertThat(request.inputs().get(0).getParameters()).doesNotContainKey("binary_data_size");
  }

  @Test
  void binarySizesMustMatchTheBody() {
    String header =
        """
        {"inputs":[{"name":"a","datatype":"FP32","shape":[2],"parameters":{"binary_data_size":8}}]}""";
    Buffer body = Buffer.buffer(header).appendBytes(new byte[4]);

    assertThatThrownBy(() -> V2Json.parseRequest(body, header.length()))
        .hasMessageContaining("binary_data_size 8 exceeds the body");
  }

  @Test
  void requestedBinaryOutputsComeAfterTheJsonAndFp16IsAlwaysBinary() {
    V2Request request =
        V2Json.parseRequest(
            Buffer.buffer(
                """
                {"inputs":[{"name":"x","datatype":"INT32","shape":[1],"data":[1]}],
                 "outputs":[{"name":"f","parameters":{"binary_data":true}},{"name":"h"},{"name":"j"}]}"""),
            null);
    Tensor f = Tensors.ofFloats("f", List.of(2L), new float[] {1f, 2f});
    ByteBuffer half = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
    half.putShort(Float.floatToFloat16(0.5f)).flip();
    Tensor h =
        Tensor.newBuilder()
            .setName("h")
            .setDatatype(DataType.FP16)
            .setShape(List.of(1L))
            .setData(half)
            .build();
    Tensor j = Tensors.ofInts("j", List.of(1L), new int[] {7});
    Tensor ignored = Tensors.ofInts("z", List.of(1L), new int[] {9});
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setId("1")
            .setModel("m")
            .setOutputs(List.of(ignored, f, h, j))
            .build();

    V2Json.Encoded encoded = V2Json.encodeResponse(response, "m", request);

    assertThat(encoded.headerLength()).isPositive();
    JsonObject json =
        new JsonObject(
            new String(encoded.body().getBytes(0, encoded.headerLength()), StandardCharsets.UTF_8));
    assertThat(json.getJsonArray("outputs")).hasSize(3);
    assertThat(json.getJsonArray("outputs").getJsonObject(2).getJsonArray("data").getList())
        .containsExactly(7);
    assertThat(encoded.body().length()).isEqualTo(encoded.headerLength() + 8 + 2);
    assertThat(encoded.body().getFloatLE(encoded.headerLength() + 4)).isEqualTo(2f);
  }

  @Test
  void shouldCarryResponseParametersWhenTheWorkerSetSome() {
    V2Request request = parse(input("FP32", "[2,1]", "[1,2]"));
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setId("1")
            .setModel("m")
            .setModelVersion("m-predictor-1")
            .setParameters(
                new java.util.HashMap<>(
                    java.util.Map.of("outlier_score", "[0.1,12.5]", "outlier", "[false,true]")))
            .setOutputs(List.of(Tensors.ofFloats("y", List.of(2L), new float[] {1f, 2f})))
            .build();

    V2Json.Encoded encoded = V2Json.encodeResponse(response, "m", request);

    JsonObject json = new JsonObject(encoded.body().toString(StandardCharsets.UTF_8));
    assertThat(json.getJsonObject("parameters").getMap())
        .containsEntry("outlier_score", "[0.1,12.5]")
        .containsEntry("outlier", "[false,true]");
    assertThat(json.getJsonArray("outputs")).hasSize(1);
  }

  @Test
  void shouldOmitResponseParametersWhenThereAreNone() {
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setId("1")
            .setModel("m")
            .setOutputs(List.of(Tensors.ofFloats("y", List.of(1L), new float[] {1f})))
            .build();

    V2Json.Encoded encoded =
        V2Json.encodeResponse(response, "m", parse(input("FP32", "[1]", "[1]")));

    assertThat(
            new JsonObject(encoded.body().toString(StandardCharsets.UTF_8))
                .containsKey("parameters"))
        .isFalse();
  }
}
