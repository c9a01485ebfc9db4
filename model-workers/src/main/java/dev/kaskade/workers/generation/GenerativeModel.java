package dev.kaskade.workers.generation;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelMetadata;
import java.util.List;
import java.util.Set;

/**
 * A loaded {@link TextGenerator} in the worker's model slot. It answers OpenAI generation requests
 * (the worker's generation path) and refuses tensor inference. Its metadata's platform is {@link
 * #PLATFORM}, which the gateway reads to tell generative models from encoders.
 */
public final class GenerativeModel implements LoadedModel {
  /** The platform a generative model reports in its metadata. */
  public static final String PLATFORM = "kaskade_generative";

  private final TextGenerator generator;
  private final ModelMetadata metadata;
  private final long memoryBytes;

  public GenerativeModel(String name, TextGenerator generator, long memoryBytes) {
    this.generator = generator;
    this.metadata = new ModelMetadata(name, PLATFORM, List.of(), List.of());
    this.memoryBytes = memoryBytes;
  }

  public TextGenerator generator() {
    return generator;
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs)
      throws InferenceFailure {
    throw KaskadeException.invalid(
        "Model "
            + metadata.name()
            + " is generative: use the OpenAI API (/openai/v1/completions or chat/completions).");
  }

  @Override
  public boolean ready() {
    return generator.ready();
  }

  @Override
  public long memoryBytes() {
    return memoryBytes;
  }

  @Override
  public void close() {
    generator.close();
  }
}
