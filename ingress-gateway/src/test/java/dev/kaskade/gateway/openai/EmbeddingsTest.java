package dev.kaskade.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {
  private final List<Tensor> outputs =
      List.of(
          Tensors.ofFloats("embedding", List.of(2L, 3L), new float[] {1, 2, 3, 4.5f, -5, 6}),
          Tensors.ofLongs("token_count", List.of(2L), new long[] {4, 7}));

  @Test
  void floatVectorsKeepInputOrderAndUsageSumsTokenCounts() {
    var request = Embeddings.parse(new JsonObject("{\"model\":\"e\",\"input\":[\"a\",\"b\"]}"));
    JsonObject out = Embeddings.response("e", request, outputs);
    assertThat(out.getString("object")).isEqualTo("list");
    assertThat(out.getJsonArray("data").getJsonObject(1).getInteger("index")).isEqualTo(1);
    assertThat(out.getJsonArray("data").getJsonObject(1).getJsonArray("embedding").getList())
        .containsExactly(4.5f, -5f, 6f);
    assertThat(out.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(11);
  }

  @Test
  void base64IsLittleEndianFloat32AsTheOpenAiSdkDecodesIt() {
    var request =
        Embeddings.parse(
            new JsonObject(
                "{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\"}"));
    JsonObject out = Embeddings.response("e", request, outputs);
    byte[] raw =
        Base64.getDecoder()
            .decode(out.getJsonArray("data").getJsonObject(1).getString("embedding"));
    ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new float[] {buffer.getFloat(), buffer.getFloat(), buffer.getFloat()})
        .containsExactly(4.5f, -5f, 6f);
  }

  @Test
  void theInputTensorIsOneBytesTensorOfTheTexts() {
    Tensor input = Embeddings.input("text", List.of("a", "bc"));
    assertThat(input.getShape()).containsExactly(2L);
    assertThat(Tensors.toByteElements(input).stream().map(String::new)).containsExactly("a", "bc");
  }
}
