package dev.kaskade.workers.generation.upstream;

import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.GenerationSpec.Api;
import dev.kaskade.workers.generation.GenerationSpec.ChatMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The OpenAI JSON sent to and read from an upstream. Pure. */
final class OpenAiBodies {
  private OpenAiBodies() {}

  /** The path of the API, below the upstream's base URL. */
  static String path(Api api) {
    return api == Api.CHAT ? "/v1/chat/completions" : "/v1/completions";
  }

  /**
   * The caller's request with its vendor fields (e.g. {@code chat_template_kwargs}, {@code top_k},
   * {@code repetition_penalty}) passed on, and what the worker decided put over them: the
   * upstream's model name, one streamed choice with usage, and the spec's sampling.
   */
  static JsonObject request(GenerationSpec spec, String model) {
    JsonObject body;
    try {
      body = new JsonObject(spec.rawBody());
    } catch (DecodeException | ClassCastException e) {
      body = new JsonObject();
    }
    body.put("model", model)
        .put("stream", true)
        .put(
            "stream_options",
            (body.getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject())
                .put("include_usage", true))
        .put("n", 1)
        .put("max_tokens", spec.maxTokens())
        .put("temperature", spec.temperature())
        .put("top_p", spec.topP());
    body.remove("max_completion_tokens");
    body.remove("best_of");
    if (spec.seed() != null) {
      body.put("seed", spec.seed());
    }
    if (spec.stop().isEmpty()) {
      body.remove("stop");
    } else {
      body.put("stop", new JsonArray(spec.stop()));
    }
    if (spec.api() == Api.CHAT) {
      body.remove("prompt");
      if (!(body.getValue("messages") instanceof JsonArray)) {
        body.put("messages", messages(spec));
      }
    } else {
      body.remove("messages");
      body.put("prompt", spec.prompt());
    }
    return body;
  }

  private static JsonArray messages(GenerationSpec spec) {
    JsonArray messages = new JsonArray();
    for (ChatMessage m : spec.messages()) {
      messages.add(new JsonObject().put("role", m.role()).put("content", m.content()));
    }
    return messages;
  }

  /**
   * What one streamed chunk says about the first choice.
   *
   * @param text new text (empty for role-only, usage-only or finish chunks)
   * @param finishReason OpenAI's finish_reason, or null while it goes on
   * @param promptTokens from usage, or -1 when the chunk has none
   * @param completionTokens from usage, or -1
   */
  record Chunk(String text, String finishReason, int promptTokens, int completionTokens) {

    boolean hasUsage() {
      return promptTokens >= 0;
    }
  }

  /** Reads a chunk of {@code chat.completion.chunk} or {@code text_completion}. */
  static Chunk chunk(JsonObject json, Api api) {
    String text = "";
    String finish = null;
    if (json.getValue("choices") instanceof JsonArray choices
        && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject choice) {
      Object piece =
          api == Api.CHAT
              ? (choice.getValue("delta") instanceof JsonObject d ? d.getValue("content") : null)
              : choice.getValue("text");
      text = piece instanceof String s ? s : "";
      finish = choice.getValue("finish_reason") instanceof String f ? f : null;
    }
    int prompt = -1;
    int completion = -1;
    if (json.getValue("usage") instanceof JsonObject usage) {
      prompt = intOf(usage.getValue("prompt_tokens"));
      completion = intOf(usage.getValue("completion_tokens"));
    }
    return new Chunk(text, finish, prompt, completion);
  }

  private static int intOf(Object value) {
    return value instanceof Number n ? n.intValue() : 0;
  }
}
