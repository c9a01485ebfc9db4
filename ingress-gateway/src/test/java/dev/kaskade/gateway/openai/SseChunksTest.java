package dev.kaskade.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.GenerationApi;
import dev.kaskade.events.GenerationUsage;
import org.junit.jupiter.api.Test;

class SseChunksTest {
  private final SseChunks chat = new SseChunks(GenerationApi.CHAT, "chatcmpl-1", 1700000000, "m");
  private final SseChunks text = new SseChunks(GenerationApi.COMPLETION, "cmpl-1", 1700000000, "m");

  @Test
  void chatChunksAreVllmShapedCompactDataLines() {
    assertThat(chat.role(0))
        .isEqualTo(
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    assertThat(chat.delta(1, "hi"))
        .isEqualTo(
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"hi\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    assertThat(chat.finish(0, "length"))
        .isEqualTo(
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\n");
  }

  @Test
  void completionChunksCarryTextAndNoRoleChunk() {
    assertThat(text.role(0)).isNull();
    assertThat(text.delta(0, "a\nb"))
        .isEqualTo(
            "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1700000000,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"a\\nb\","
                + "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
  }

  @Test
  void usageChunkHasNoChoicesAndErrorsCarryTheStatusAsCode() {
    assertThat(chat.usage(new GenerationUsage(3, 4, 7)))
        .isEqualTo(
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
                + "\"completion_tokens\":4,\"total_tokens\":7}}\n\n");
    assertThat(SseChunks.error(new OpenAiError(503, "server_error", "gone", null, null)))
        .isEqualTo(
            "data: {\"error\":{\"message\":\"gone\",\"type\":\"server_error\",\"param\":null,"
                + "\"code\":\"503\"}}\n\n");
    assertThat(SseChunks.DONE).isEqualTo("data: [DONE]\n\n");
    assertThat(SseChunks.PING).isEqualTo(": ping\n\n");
  }
}
