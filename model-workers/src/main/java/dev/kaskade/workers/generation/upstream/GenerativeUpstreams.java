package dev.kaskade.workers.generation.upstream;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which models with an upstream ({@code kaskade.dev/upstream-url}) speak the OpenAI protocol rather
 * than KServe V1/V2: the predictor says {@code protocolVersion: openai}, or its format is a
 * generative one. A {@code huggingface} predictor is generative unless its task ({@code --task}
 * argument or {@code task} parameter) is one of the predictive tasks, which go through the V1/V2
 * runtime bridge like KServe's huggingfaceserver does.
 */
public final class GenerativeUpstreams {
  private static final Set<String> GENERATIVE_FORMATS =
      Set.of("gguf", "llama.cpp", "openai", "vllm");
  private static final Set<String> PREDICTIVE_TASKS =
      Set.of(
          "sequence_classification",
          "token_classification",
          "fill_mask",
          "text_embedding",
          "text-classification",
          "token-classification",
          "fill-mask",
          "feature-extraction");

  private GenerativeUpstreams() {}

  public static boolean isGenerative(
      String format, Map<String, String> parameters, String protocolVersion) {
    if ("openai".equalsIgnoreCase(protocolVersion)) {
      return true;
    }
    String f = format == null ? "" : format.toLowerCase(Locale.ROOT);
    if (GENERATIVE_FORMATS.contains(f)) {
      return true;
    }
    if (!f.equals("huggingface")) {
      return false;
    }
    String task = parameters.getOrDefault("args.task", parameters.getOrDefault("task", ""));
    return !PREDICTIVE_TASKS.contains(task.toLowerCase(Locale.ROOT));
  }
}
