package dev.kaskade.workers.generation;

import java.util.List;
import java.util.Objects;

/**
 * One choice of one OpenAI completion or chat completion request, as the worker hands it to a
 * {@link TextGenerator}.
 *
 * @param api chat (use {@code messages}) or completion (use {@code prompt})
 * @param model the model name the caller asked for (an upstream may map it)
 * @param prompt the prompt of a completion request; empty for chat
 * @param messages the conversation of a chat request; empty for completion
 * @param maxTokens most tokens to generate (already bounded by the worker)
 * @param temperature 0 means greedy
 * @param topP nucleus sampling mass, 1 means off
 * @param seed sampling seed, or null for a random one
 * @param stop stop strings (at most 4); the text before the first match is returned
 * @param rawBody the caller's request JSON as validated, so an upstream can pass vendor fields on
 * @param deadlineEpochMs when the caller stops waiting (0 = none)
 */
public record GenerationSpec(
    Api api,
    String model,
    String prompt,
    List<ChatMessage> messages,
    int maxTokens,
    double temperature,
    double topP,
    Long seed,
    List<String> stop,
    String rawBody,
    long deadlineEpochMs) {

  public GenerationSpec {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(model, "model");
    prompt = prompt == null ? "" : prompt;
    messages = messages == null ? List.of() : List.copyOf(messages);
    stop = stop == null ? List.of() : List.copyOf(stop);
    rawBody = rawBody == null ? "{}" : rawBody;
  }

  /** The two generative OpenAI APIs. */
  public enum Api {
    CHAT,
    COMPLETION
  }

  /** One chat message. */
  public record ChatMessage(String role, String content) {
    public ChatMessage {
      Objects.requireNonNull(role, "role");
      content = content == null ? "" : content;
    }
  }
}
