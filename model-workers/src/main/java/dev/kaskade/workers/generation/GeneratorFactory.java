package dev.kaskade.workers.generation;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;

/**
 * Opens a {@link TextGenerator} for a model. Factories are found with {@link
 * java.util.ServiceLoader} (META-INF/services/dev.kaskade.workers.generation.GeneratorFactory); the
 * worker asks each whether it {@link #accepts} a source, in service-file order.
 */
public interface GeneratorFactory {

  /** Factory name, e.g. "tiny-lm", "llama.cpp", "openai-upstream". */
  String name();

  /**
   * Whether this factory serves the source: by its format ("tiny-lm", "gguf", "huggingface" with a
   * .gguf file, …), its files, or its parameters (an upstream URL).
   */
  boolean accepts(ModelSource source);

  /**
   * Loads the model; a {@link ModelLoadException}'s message becomes the revision's status reason.
   */
  TextGenerator open(ModelSource source) throws ModelLoadException;
}
