package dev.kaskade.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.GenerationApi;
import dev.kaskade.events.GenerationRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class OpenAiRequestsTest {

  static GenerationRequest chat(String json) {
    return OpenAiRequests.parse(new JsonObject(json), GenerationApi.CHAT);
  }

  static OpenAiError error(Runnable r) {
    try {
      r.run();
    } catch (OpenAiError e) {
      return e;
    }
    throw new AssertionError("no error");
  }

  @Test
  void readsEveryField() {
    GenerationRequest r =
        chat(
            """
            {"model":"m","messages":[{"role":"system","content":"be brief"},
              {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}],
             "max_tokens":9,"max_completion_tokens":7,"temperature":0,"top_p":0.5,"seed":3,
             "stop":["x","y"],"n":2,"stream":true,"stream_options":{"include_usage":true},
             "user":"u","vendor_field":1}""");
    assertThat(r.getMessages()).hasSize(2);
    assertThat(r.getMessages().get(1).getContent()).isEqualTo("ab");
    assertThat(r.getMaxTokens()).as("max_completion_tokens wins").isEqualTo(7);
    assertThat(r.getTemperature()).isZero();
    assertThat(r.getTopP()).isEqualTo(0.5);
    assertThat(r.getSeed()).isEqualTo(3L);
    assertThat(r.getStop()).containsExactly("x", "y");
    assertThat(r.getN()).isEqualTo(2);
    assertThat(r.getStream()).isTrue();
    assertThat(r.getIncludeUsage()).isTrue();
    assertThat(r.getUser()).isEqualTo("u");
    assertThat(new JsonObject(r.getBody()).getInteger("vendor_field")).isEqualTo(1);
    assertThat(OpenAiRequests.deterministic(r)).isTrue();
  }

  @Test
  void completionPromptIsAStringOrAnArrayOfOne() {
    var r =
        OpenAiRequests.parse(
            new JsonObject("{\"model\":\"m\",\"prompt\":[\"hi\"],\"stop\":\"\\n\"}"),
            GenerationApi.COMPLETION);
    assertThat(r.getPrompt()).isEqualTo("hi");
    assertThat(r.getStop()).containsExactly("\n");
    assertThat(r.getN()).isEqualTo(1);
    assertThat(OpenAiRequests.deterministic(r)).isFalse();
  }

  @Test
  void mistakesAre400sNamingTheField() {
    String ok = "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    assertThat(error(() -> chat("{" + ok + ",\"temperature\":2.5}")).body().encode())
        .contains("\"param\":\"temperature\"");
    assertThat(error(() -> chat("{" + ok + ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}")).status())
        .isEqualTo(400);
    assertThat(error(() -> chat("{" + ok + ",\"n\":0}")).body().encode())
        .contains("\"param\":\"n\"");
    assertThat(error(() -> chat("{" + ok + ",\"max_tokens\":\"5\"}")).body().encode())
        .contains("max_tokens must be an integer");
    assertThat(
            error(() -> chat("{" + ok + ",\"stream_options\":{\"include_usage\":true}}"))
                .body()
                .encode())
        .contains("only allowed when 'stream' is true");
    assertThat(error(() -> chat("{\"model\":\"m\",\"messages\":[]}")).body().encode())
        .contains("\"param\":\"messages\"");
    assertThat(
            error(() -> chat("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\"}]}"))
                .body()
                .encode())
        .contains("messages[0].role");
    assertThat(error(() -> chat("{\"messages\":[]}")).body().encode())
        .contains("\"param\":\"model\"");
    assertThatThrownBy(() -> OpenAiRequests.json(Buffer.buffer("[1]")))
        .isInstanceOf(OpenAiError.class);
  }
}
