package dev.kaskade.workers.generation;

/**
 * A loaded generative model (the tiny n-gram LM on ONNX Runtime, llama.cpp on a GGUF file, an
 * OpenAI-compatible upstream server). One instance serves many requests; {@link #generate} may be
 * called from several threads at once, up to {@link #maxConcurrent()}.
 */
public interface TextGenerator extends AutoCloseable {

  /** Runtime name for logs and metrics, e.g. "tiny-lm", "llama.cpp", "openai-upstream". */
  String name();

  /** How many generations may run at once; the worker pauses its topic when all are busy. */
  default int maxConcurrent() {
    return 1;
  }

  /**
   * Runs one choice of one request on the calling thread and returns when it finished, was
   * cancelled or failed. Text is handed to {@code sink} as it is produced (already detokenized,
   * whole UTF-8 characters only, never text past a stop string). The generator honours the stop
   * strings, max tokens, temperature, top_p and seed of {@code spec} itself and checks {@code
   * cancel} at least once per token.
   *
   * @throws GenerationException with an HTTP-like status (400 bad request, 503 upstream down, …)
   */
  GenerationOutcome generate(GenerationSpec spec, TokenSink sink, CancelSignal cancel)
      throws GenerationException;

  /**
   * Rejects a request this generator cannot honour before anything is streamed, so that the client
   * gets a real HTTP 400 (e.g. {@link UpstreamOnlyFields} on the in-process backends).
   *
   * @throws GenerationException with the status to answer
   */
  default void check(GenerationSpec spec) throws GenerationException {}

  /** Whether the generator can answer now (an upstream may go away); must not block. */
  default boolean ready() {
    return true;
  }

  @Override
  default void close() {}
}
