package dev.kaskade.workers.generation.llamacpp;

import dev.kaskade.workers.backend.ModelLoadException;
import java.util.Map;

/**
 * How a GGUF model is run, from the predictor's parameters (annotations {@code kaskade.dev/<key>}).
 * Pure.
 *
 * @param parallel sequences decoded at once ({@code parallel}, default 1, at most {@value
 *     #MAX_PARALLEL}); llama.cpp's slots, and the generator's maxConcurrent
 * @param contextPerSequence tokens of context each sequence gets ({@code max-model-len} or KServe's
 *     {@code max_model_len}, default {@value #DEFAULT_CONTEXT})
 * @param threads CPU threads for decoding ({@code threads}; 0 = llama.cpp's default)
 * @param gpuLayers layers offloaded to a GPU ({@code gpu-layers}; 0 on the CPU build in the jar)
 */
public record LlamaCppSettings(int parallel, int contextPerSequence, int threads, int gpuLayers) {

  public static final int MAX_PARALLEL = 64;
  public static final int DEFAULT_CONTEXT = 4096;

  public LlamaCppSettings {
    if (parallel < 1 || parallel > MAX_PARALLEL) {
      throw new IllegalArgumentException("parallel must be 1.." + MAX_PARALLEL);
    }
    if (contextPerSequence < 1 || threads < 0 || gpuLayers < 0) {
      throw new IllegalArgumentException("context, threads and gpu layers must not be negative");
    }
  }

  /** The settings of a predictor; a malformed or out-of-range value names its key. */
  public static LlamaCppSettings of(Map<String, String> parameters) throws ModelLoadException {
    String contextKey = parameters.containsKey("max_model_len") ? "max_model_len" : "max-model-len";
    return new LlamaCppSettings(
        number(parameters, "parallel", 1, 1, MAX_PARALLEL),
        number(parameters, contextKey, DEFAULT_CONTEXT, 16, 1 << 20),
        number(parameters, "threads", 0, 0, 1024),
        number(parameters, "gpu-layers", 0, 0, 10_000));
  }

  /** llama.cpp's context is shared by its slots: each sequence gets its part. */
  public int totalContext() {
    return contextPerSequence * parallel;
  }

  private static int number(Map<String, String> parameters, String key, int dflt, int min, int max)
      throws ModelLoadException {
    String value = parameters.get(key);
    if (value == null || value.isBlank()) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ModelLoadException("parameter " + key + " must be a whole number, got " + value);
    }
    if (n < min || n > max) {
      throw new ModelLoadException(
          "parameter " + key + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }
}
