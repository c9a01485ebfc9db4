package dev.kaskade.workers.generation.tinylm;

import dev.kaskade.workers.generation.GenerationSpec;

/**
 * The tiny LM's chat template: one {@code role: content} line per message, then {@code assistant: }
 * for the model to continue. Pure.
 */
public final class ChatPrompt {
  private ChatPrompt() {}

  public static String of(GenerationSpec spec) {
    if (spec.api() == GenerationSpec.Api.COMPLETION) {
      return spec.prompt();
    }
    StringBuilder text = new StringBuilder();
    for (GenerationSpec.ChatMessage m : spec.messages()) {
      text.append(m.role()).append(": ").append(m.content()).append('\n');
    }
    return text.append("assistant: ").toString();
  }
}
