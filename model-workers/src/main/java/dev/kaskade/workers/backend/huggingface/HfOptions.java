package dev.kaskade.workers.backend.huggingface;

import dev.kaskade.workers.backend.ModelLoadException;
import java.util.Map;

/**
 * The predictor's huggingfaceserver arguments the backend honours, read from {@link
 * dev.kaskade.workers.backend.ModelSource#parameters()}: the reconciler passes each {@code
 * --name=value} of the predictor's {@code args} as parameter {@code args.<name>}; a plain {@code
 * <name>} parameter (annotation {@code kaskade.dev/<name>}) works too.
 *
 * @param task {@code --task}, null to infer it from config.json
 * @param returnProbabilities {@code --return_probabilities}: softmax scores instead of indices
 * @param maxLength {@code --max_length}: tokens per input before truncation, 0 for the model's
 * @param maxInstances the most texts one request may carry ({@code maxInstances}, default 256)
 * @param topK fill-mask candidates in {@code top_k_*} outputs ({@code top_k}, default 5)
 * @param batchRows {@code batch_rows}: run a request's texts as one padded batch. Off by default:
 *     each text runs alone, because quantized exports (DynamicQuantizeLinear, e.g. MiniLM-q) scale
 *     activations over the whole batch, so a text's vector would change with its neighbours and
 *     padding; turn it on for faster float exports
 */
record HfOptions(
    String task,
    boolean returnProbabilities,
    int maxLength,
    int maxInstances,
    int topK,
    boolean batchRows) {
  static final int DEFAULT_MAX_INSTANCES = 256;
  static final int DEFAULT_TOP_K = 5;

  static HfOptions from(Map<String, String> parameters) throws ModelLoadException {
    return new HfOptions(
        value(parameters, "task"),
        Boolean.parseBoolean(value(parameters, "return_probabilities")),
        integer(parameters, "max_length", 0),
        integer(parameters, "maxInstances", DEFAULT_MAX_INSTANCES),
        integer(parameters, "top_k", DEFAULT_TOP_K),
        Boolean.parseBoolean(value(parameters, "batch_rows")));
  }

  private static String value(Map<String, String> parameters, String name) {
    String value = parameters.get("args." + name);
    return value != null ? value : parameters.get(name);
  }

  private static int integer(Map<String, String> parameters, String name, int fallback)
      throws ModelLoadException {
    String value = value(parameters, name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ModelLoadException(
          "huggingface argument --" + name + "=" + value + " is not a non-negative integer");
    }
  }
}
