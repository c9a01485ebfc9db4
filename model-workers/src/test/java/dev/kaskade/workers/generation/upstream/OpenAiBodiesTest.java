package dev.kaskade.workers.generation.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.workers.generation.GenerationException;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.GenerationSpec.Api;
import dev.kaskade.workers.generation.GenerationSpec.ChatMessage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiBodiesTest {

  @Test
  void passesVendorFieldsOnAndPutsTheWorkersDecisionsOverTheCallersFields() {
    String raw =
        """
        {"model":"chat","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],
         "max_completion_tokens":999,"n":3,"stream":false,"top_k":5,
         "chat_template_kwargs":{"enable_thinking":false},"stop":"x",
         "tools":[{"type":"function","function":{"name":"weather","parameters":{}}}],
         "tool_choice":"auto"}
        """;
    GenerationSpec spec =
        new GenerationSpec(
            Api.CHAT,
            "chat",
            null,
            List.of(new ChatMessage("user", "hi")),
            16,
            0.5,
            0.9,
            7L,
            List.of("\n"),
            raw,
            0);

    JsonObject body = OpenAiBodies.request(spec, "meta-llama/Llama-3.1-8B-Instruct");

    assertThat(body.getString("model")).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(body.getBoolean("stream")).isTrue();
    assertThat(body.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(body.getInteger("n")).isEqualTo(1);
    assertThat(body.getInteger("max_tokens")).isEqualTo(16);
    assertThat(body.containsKey("max_completion_tokens")).isFalse();
    assertThat(body.getLong("seed")).isEqualTo(7L);
    assertThat(body.getJsonArray("stop").getList()).containsExactly("\n");
    assertThat(body.getInteger("top_k")).isEqualTo(5);
    assertThat(body.getJsonObject("chat_template_kwargs").getBoolean("enable_thinking")).isFalse();
    // function calling is the upstream's: passed on as sent (in-process backends answer 400)
    assertThat(
            body.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"))
        .isEqualTo("weather");
    assertThat(body.getString("tool_choice")).isEqualTo("auto");
    // the caller's richer message content (parts) is kept as sent
    assertThat(body.getJsonArray("messages").getJsonObject(0).getValue("content"))
        .isInstanceOf(io.vertx.core.json.JsonArray.class);
  }

  @Test
  void aCompletionWithoutARawBodySendsThePrompt() {
    GenerationSpec spec =
        new GenerationSpec(
            Api.COMPLETION, "m", "Once", List.of(), 4, 0, 1, null, List.of(), null, 0);
    JsonObject body = OpenAiBodies.request(spec, "m");
    assertThat(body.getString("prompt")).isEqualTo("Once");
    assertThat(body.containsKey("messages")).isFalse();
    assertThat(body.containsKey("seed")).isFalse();
    assertThat(OpenAiBodies.path(Api.COMPLETION)).isEqualTo("/v1/completions");
    assertThat(OpenAiBodies.path(Api.CHAT)).isEqualTo("/v1/chat/completions");
  }

  @Test
  void readsTextFinishReasonAndUsageOfChatAndCompletionChunks() {
    var chat =
        OpenAiBodies.chunk(
            new JsonObject(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}"),
            Api.CHAT);
    var text =
        OpenAiBodies.chunk(
            new JsonObject("{\"choices\":[{\"text\":\"yo\",\"finish_reason\":\"length\"}]}"),
            Api.COMPLETION);
    var usage =
        OpenAiBodies.chunk(
            new JsonObject(
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}"),
            Api.CHAT);
    assertThat(chat).isEqualTo(new OpenAiBodies.Chunk("Hi", null, -1, -1));
    assertThat(text).isEqualTo(new OpenAiBodies.Chunk("yo", "length", -1, -1));
    assertThat(usage).isEqualTo(new OpenAiBodies.Chunk("", null, 9, 3));
  }

  @Test
  void mapsUpstreamErrorsLikeKservesProxy() {
    GenerationException openAi =
        UpstreamFailures.ofStatus(
            "up",
            429,
            "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"code\":null}}");
    GenerationException vllm =
        UpstreamFailures.ofStatus(
            "up",
            400,
            "{\"object\":\"error\",\"message\":\"too long\",\"type\":\"BadRequestError\",\"code\":400}");
    GenerationException html = UpstreamFailures.ofStatus("up", 500, "<html>oops</html>");
    GenerationException midStream =
        UpstreamFailures.ofStreamError(
            "up", new JsonObject("{\"error\":{\"message\":\"engine died\",\"code\":503}}"));

    assertThat(openAi.status()).isEqualTo(429);
    assertThat(openAi.type()).isEqualTo("rate_limit_error");
    assertThat(openAi.getMessage()).isEqualTo("slow down");
    assertThat(vllm.status()).isEqualTo(400);
    assertThat(vllm.getMessage()).isEqualTo("too long");
    assertThat(html.status()).isEqualTo(502);
    assertThat(html.getMessage()).contains("500").contains("oops");
    assertThat(midStream.status()).isEqualTo(503);
    assertThat(midStream.getMessage()).isEqualTo("engine died");
    assertThat(UpstreamFailures.timeout("up", 5).status()).isEqualTo(504);
    assertThat(UpstreamFailures.unreachable("up", "refused").status()).isEqualTo(503);
  }
}
