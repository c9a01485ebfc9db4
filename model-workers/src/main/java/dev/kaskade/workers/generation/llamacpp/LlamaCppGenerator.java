package dev.kaskade.workers.generation.llamacpp;

import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import dev.kaskade.workers.generation.CancelSignal;
import dev.kaskade.workers.generation.GenerationException;
import dev.kaskade.workers.generation.GenerationOutcome;
import dev.kaskade.workers.generation.GenerationOutcome.FinishReason;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.TextGenerator;
import dev.kaskade.workers.generation.TokenSink;
import dev.kaskade.workers.generation.UpstreamOnlyFields;
import java.util.Locale;

/**
 * A GGUF model run in-process by llama.cpp (java-llama.cpp's embedded server): chat prompts come
 * from the model's chat template, llama.cpp samples, honours stop strings (holding back text that
 * may start one) and decodes UTF-8 whole; the generator streams what it hands out and checks the
 * cancel signal before each token.
 *
 * <p>Token counts: java-llama.cpp returns text, not token ids. In streaming mode llama.cpp sends
 * one piece per generated token (an empty one while a stop string may be starting), except that a
 * token ending inside a UTF-8 character is sent with the next; completion tokens are therefore the
 * pieces received (exact for ASCII output, a slight undercount for multi-byte characters split over
 * tokens), and prompt tokens are the prompt's tokens without the BOS token llama.cpp adds.
 */
final class LlamaCppGenerator implements TextGenerator {
  private final LlamaModel model;
  private final LlamaCppSettings settings;

  LlamaCppGenerator(LlamaModel model, LlamaCppSettings settings) {
    this.model = model;
    this.settings = settings;
  }

  @Override
  public void check(GenerationSpec spec) throws GenerationException {
    UpstreamOnlyFields.reject(name(), spec);
  }

  @Override
  public String name() {
    return "llama.cpp";
  }

  @Override
  public int maxConcurrent() {
    return settings.parallel();
  }

  @Override
  public GenerationOutcome generate(GenerationSpec spec, TokenSink sink, CancelSignal cancel)
      throws GenerationException {
    try {
      String prompt = prompt(spec);
      int promptTokens = model.encode(prompt).length;
      if (cancel.cancelled()) {
        return new GenerationOutcome(FinishReason.CANCELLED, promptTokens, 0);
      }
      return stream(spec, prompt, promptTokens, sink, cancel);
    } catch (RuntimeException e) {
      if (isLlamaException(e)) {
        throw failure(e);
      }
      throw e; // e.g. from the sink: not llama.cpp's failure
    }
  }

  private String prompt(GenerationSpec spec) {
    return spec.api() == GenerationSpec.Api.CHAT
        ? model.applyTemplate(LlamaRequests.chat(spec.messages()))
        : spec.prompt();
  }

  private GenerationOutcome stream(
      GenerationSpec spec, String prompt, int promptTokens, TokenSink sink, CancelSignal cancel) {
    LlamaIterator tokens = model.generate(LlamaRequests.sampling(prompt, spec)).iterator();
    int generated = 0;
    try {
      while (tokens.hasNext()) {
        if (cancel.cancelled()) {
          tokens.cancel();
          return new GenerationOutcome(FinishReason.CANCELLED, promptTokens, generated);
        }
        LlamaOutput out = tokens.next();
        // The last output is llama.cpp's summary, which in streaming mode carries no new token.
        int count = tokens.hasNext() ? 1 : 0;
        generated += count;
        if (count > 0 || !out.text.isEmpty()) {
          sink.accept(out.text, count);
        }
      }
    } catch (RuntimeException e) {
      tokens.cancel(); // frees the slot whatever went wrong
      throw e;
    }
    return new GenerationOutcome(
        finishReason(spec, promptTokens, generated), promptTokens, generated);
  }

  /** Length when max_tokens were generated or the sequence's context is full (BOS included). */
  private FinishReason finishReason(GenerationSpec spec, int promptTokens, int generated) {
    boolean contextFull = promptTokens + 1 + generated >= settings.contextPerSequence();
    return generated >= spec.maxTokens() || contextFull ? FinishReason.LENGTH : FinishReason.STOP;
  }

  private static boolean isLlamaException(RuntimeException e) {
    // java-llama.cpp's LlamaException is not public
    return e.getClass().getName().equals("de.kherud.llama.LlamaException");
  }

  /** A prompt longer than the context is the caller's fault (400); anything else is ours. */
  private static GenerationException failure(RuntimeException e) {
    String message = e.getMessage() == null ? "llama.cpp failed" : e.getMessage();
    boolean tooLong = message.toLowerCase(Locale.ROOT).contains("exceeds the available context");
    return tooLong
        ? new GenerationException(
            400, "invalid_request_error", "the prompt is longer than the model's context", e)
        : new GenerationException(500, "server_error", "llama.cpp: " + message, e);
  }

  @Override
  public void close() {
    model.close();
  }
}
