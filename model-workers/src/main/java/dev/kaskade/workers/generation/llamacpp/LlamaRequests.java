package dev.kaskade.workers.generation.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.Pair;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.GenerationSpec.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Turns a {@link GenerationSpec} into java-llama.cpp's inference parameters. Pure. */
final class LlamaRequests {
  private LlamaRequests() {}

  /**
   * The messages of a chat request as java-llama.cpp takes them: one system message (all system and
   * developer messages joined) and user/assistant turns; other roles (tool results) become user
   * turns, the only other role its {@code setMessages} accepts.
   */
  static InferenceParameters chat(List<ChatMessage> messages) {
    String system =
        messages.stream()
            .filter(m -> m.role().equals("system") || m.role().equals("developer"))
            .map(ChatMessage::content)
            .collect(Collectors.joining("\n\n"));
    List<Pair<String, String>> turns = new ArrayList<>();
    for (ChatMessage m : messages) {
      switch (m.role()) {
        case "system", "developer" -> {}
        case "assistant" -> turns.add(new Pair<>("assistant", m.content()));
        default -> turns.add(new Pair<>("user", m.content()));
      }
    }
    return new InferenceParameters("").setMessages(system, turns);
  }

  /**
   * The sampling of a prompt: OpenAI's knobs only (top_k and min_p, which llama.cpp turns on by
   * default, are switched off so temperature/top_p mean what an OpenAI client expects).
   */
  static InferenceParameters sampling(String prompt, GenerationSpec spec) {
    InferenceParameters p =
        new InferenceParameters(prompt)
            .setNPredict(spec.maxTokens())
            .setTemperature((float) spec.temperature())
            .setTopP((float) spec.topP())
            .setTopK(0)
            .setMinP(0f)
            .setCachePrompt(true);
    if (spec.seed() != null) {
      // llama.cpp seeds are 32 bits; 0xFFFFFFFF means "random", so it is avoided.
      int seed = (int) (spec.seed() ^ (spec.seed() >>> 32));
      p.setSeed(seed == -1 ? 0 : seed);
    }
    if (!spec.stop().isEmpty()) {
      p.setStopStrings(spec.stop().toArray(String[]::new));
    }
    return p;
  }
}
