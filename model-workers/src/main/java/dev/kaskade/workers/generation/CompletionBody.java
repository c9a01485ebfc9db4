package dev.kaskade.workers.generation;

import dev.kaskade.events.GenerationApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The OpenAI response body of a finished generation ({@code chat.completion} or {@code
 * text_completion}), exactly what the gateway returns for {@code stream:false} and what the audit
 * records. Ids are {@code chatcmpl-<request id>} / {@code cmpl-<request id>}, so a stream's chunks
 * (built by the gateway) carry the same id. Pure.
 */
public final class CompletionBody {
  private CompletionBody() {}

  /** One finished choice. */
  public record Choice(String text, String finishReason) {}

  public static String id(GenerationApi api, String requestId) {
    return (api == GenerationApi.CHAT ? "chatcmpl-" : "cmpl-") + requestId;
  }

  public static JsonObject of(
      GenerationApi api,
      String requestId,
      long createdSeconds,
      String model,
      List<Choice> choices,
      int promptTokens,
      int completionTokens) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < choices.size(); i++) {
      Choice c = choices.get(i);
      JsonObject choice = new JsonObject().put("index", i);
      if (api == GenerationApi.CHAT) {
        choice.put("message", new JsonObject().put("role", "assistant").put("content", c.text()));
      } else {
        choice.put("text", c.text());
      }
      out.add(choice.putNull("logprobs").put("finish_reason", c.finishReason()));
    }
    return new JsonObject()
        .put("id", id(api, requestId))
        .put("object", api == GenerationApi.CHAT ? "chat.completion" : "text_completion")
        .put("created", createdSeconds)
        .put("model", model)
        .put("choices", out)
        .put("usage", usage(promptTokens, completionTokens));
  }

  public static JsonObject usage(int promptTokens, int completionTokens) {
    return new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }
}
