package dev.kaskade.gateway.openai;

import dev.kaskade.events.GenerationApi;
import dev.kaskade.events.GenerationUsage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The server-sent events of an OpenAI stream, vLLM-compatible: one compact JSON per {@code data:}
 * line, a role-first delta per chat choice, a chunk with the finish_reason, an optional usage chunk
 * with {@code choices:[]}, an error object after headers were sent, and always {@code data: [DONE]}
 * last. Pure.
 */
public final class SseChunks {
  public static final String DONE = "data: [DONE]\n\n";
  public static final String PING = ": ping\n\n";

  private final GenerationApi api;
  private final String id;
  private final long created;
  private final String model;

  public SseChunks(GenerationApi api, String id, long created, String model) {
    this.api = api;
    this.id = id;
    this.created = created;
    this.model = model;
  }

  public static String frame(JsonObject json) {
    return "data: " + json.encode() + "\n\n";
  }

  /** The first chunk of a chat choice: the role, empty content. Null for completions. */
  public String role(int choice) {
    if (api != GenerationApi.CHAT) {
      return null;
    }
    return frame(
        chunk(choice(choice, new JsonObject().put("role", "assistant").put("content", ""), null)));
  }

  public String delta(int choice, String text) {
    return frame(
        chunk(
            api == GenerationApi.CHAT
                ? choice(choice, new JsonObject().put("content", text), null)
                : textChoice(choice, text, null)));
  }

  public String finish(int choice, String finishReason) {
    return frame(
        chunk(
            api == GenerationApi.CHAT
                ? choice(choice, new JsonObject(), finishReason)
                : textChoice(choice, "", finishReason)));
  }

  public String usage(GenerationUsage usage) {
    JsonObject json =
        base()
            .put("choices", new JsonArray())
            .put(
                "usage",
                new JsonObject()
                    .put("prompt_tokens", usage.getPromptTokens())
                    .put("completion_tokens", usage.getCompletionTokens())
                    .put("total_tokens", usage.getTotalTokens()));
    return frame(json);
  }

  /** An error after the headers went out; the SDKs throw on a data object with "error". */
  public static String error(OpenAiError error) {
    JsonObject body = error.body();
    body.getJsonObject("error").put("code", Integer.toString(error.status()));
    return frame(body);
  }

  private JsonObject chunk(JsonObject choice) {
    return base().put("choices", new JsonArray().add(choice));
  }

  private JsonObject base() {
    return new JsonObject()
        .put("id", id)
        .put("object", api == GenerationApi.CHAT ? "chat.completion.chunk" : "text_completion")
        .put("created", created)
        .put("model", model);
  }

  private static JsonObject choice(int index, JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("index", index)
        .put("delta", delta)
        .putNull("logprobs")
        .put("finish_reason", finishReason);
  }

  private static JsonObject textChoice(int index, String text, String finishReason) {
    return new JsonObject()
        .put("index", index)
        .put("text", text)
        .putNull("logprobs")
        .put("finish_reason", finishReason);
  }
}
