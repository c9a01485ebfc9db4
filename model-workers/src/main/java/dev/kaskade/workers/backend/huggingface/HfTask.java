package dev.kaskade.workers.backend.huggingface;

import dev.kaskade.workers.backend.ModelLoadException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The predictive tasks of KServe's huggingfaceserver ({@code --task} names) that the huggingface
 * backend runs natively, and how a {@code config.json} {@code architectures} entry implies one.
 */
public enum HfTask {
  SEQUENCE_CLASSIFICATION("ForSequenceClassification"),
  TOKEN_CLASSIFICATION("ForTokenClassification"),
  FILL_MASK("ForMaskedLM"),
  TEXT_EMBEDDING("Model");

  /** Generative tasks of huggingfaceserver: served by the generation path (issue #13). */
  static final List<String> GENERATIVE = List.of("text_generation", "text2text_generation");

  /** Architectures of generative models (…LMHeadModel would otherwise look like …Model). */
  static final List<String> GENERATIVE_ARCHITECTURES =
      List.of("LMHeadModel", "ForCausalLM", "ForConditionalGeneration");

  private final String architectureSuffix;

  HfTask(String architectureSuffix) {
    this.architectureSuffix = architectureSuffix;
  }

  /** The {@code --task} name, e.g. {@code sequence_classification}. */
  public String taskName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The task named by {@code --task} (KServe's names, case-insensitive, {@code -} accepted for
   * {@code _}), else the one the first {@code architectures} entry implies (e.g. {@code
   * BertForSequenceClassification}, {@code BertModel} for embeddings).
   */
  static HfTask resolve(String requested, List<String> architectures) throws ModelLoadException {
    if (requested != null && !requested.isBlank()) {
      String name = requested.trim().toLowerCase(Locale.ROOT).replace('-', '_');
      for (HfTask task : values()) {
        if (task.taskName().equals(name)) {
          return task;
        }
      }
      if (GENERATIVE.contains(name)) {
        throw new ModelLoadException(
            "task '"
                + name
                + "' is generative: the huggingface backend serves "
                + names()
                + "; text generation goes through the OpenAI endpoints (docs/model-formats.md)");
      }
      throw new ModelLoadException(
          "unsupported huggingface task '" + requested + "'; supported: " + names());
    }
    for (String architecture : architectures) {
      if (GENERATIVE_ARCHITECTURES.stream().anyMatch(architecture::endsWith)) {
        throw new ModelLoadException(
            "config.json architecture "
                + architecture
                + " is a generative model: the huggingface backend serves "
                + names()
                + "; text generation goes through the OpenAI endpoints (docs/model-formats.md)");
      }
      for (HfTask task : values()) {
        if (architecture.endsWith(task.architectureSuffix)) {
          return task;
        }
      }
    }
    throw new ModelLoadException(
        "no --task given and config.json architectures "
            + architectures
            + " imply none of "
            + names()
            + "; set the predictor's args: [--task=<task>]");
  }

  static List<String> names() {
    return Arrays.stream(values()).map(HfTask::taskName).toList();
  }
}
