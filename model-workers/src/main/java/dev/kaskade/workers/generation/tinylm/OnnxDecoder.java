package dev.kaskade.workers.generation.tinylm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kaskade.workers.generation.CancelSignal;
import dev.kaskade.workers.generation.GenerationException;
import dev.kaskade.workers.generation.GenerationOutcome;
import dev.kaskade.workers.generation.GenerationOutcome.FinishReason;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.StopStrings;
import dev.kaskade.workers.generation.TextGenerator;
import dev.kaskade.workers.generation.TokenSink;
import dev.kaskade.workers.generation.UpstreamOnlyFields;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generic decode loop over an ONNX causal LM with byte tokens ({@code input_ids} → {@code
 * logits[B,T,V]}, no KV cache): each step feeds the last {@code context} tokens and samples from
 * the last position's logits. Stops at {@code <eos>}, a stop string, max tokens or a cancel.
 */
public final class OnnxDecoder implements TextGenerator {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final int context;
  private final int maxConcurrent;
  private final TokenPacer pacer;

  public OnnxDecoder(OrtEnvironment env, OrtSession session, int context, int maxConcurrent) {
    this(env, session, context, maxConcurrent, TokenPacer.NONE);
  }

  OnnxDecoder(
      OrtEnvironment env, OrtSession session, int context, int maxConcurrent, TokenPacer pacer) {
    this.env = env;
    this.session = session;
    this.context = Math.max(1, context);
    this.maxConcurrent = Math.max(1, maxConcurrent);
    this.pacer = pacer;
  }

  /** The same model with another decode pace (tests: a fake clock). */
  OnnxDecoder withPacer(TokenPacer other) {
    return new OnnxDecoder(env, session, context, maxConcurrent, other);
  }

  @Override
  public void check(GenerationSpec spec) throws GenerationException {
    UpstreamOnlyFields.reject(name(), spec);
  }

  @Override
  public String name() {
    return TinyLm.FORMAT;
  }

  @Override
  public int maxConcurrent() {
    return maxConcurrent;
  }

  @Override
  public GenerationOutcome generate(GenerationSpec spec, TokenSink sink, CancelSignal cancel)
      throws GenerationException {
    long[] prompt = ByteTokenizer.encode(ChatPrompt.of(spec));
    Decoding run = new Decoding(prompt, spec);
    SplittableRandom random =
        spec.seed() == null ? new SplittableRandom() : new SplittableRandom(spec.seed());
    FinishReason finish = FinishReason.LENGTH;
    try {
      long step = pacer.start();
      while (run.generated < spec.maxTokens()) {
        if (cancel.cancelled()) {
          finish = FinishReason.CANCELLED;
          break;
        }
        float[] logits = nextLogits(run.ids, run.length);
        int token = Sampler.pick(logits, spec.temperature(), spec.topP(), random);
        step = pacer.awaitStepEnd(step);
        if (run.push(token, sink)) {
          finish = FinishReason.STOP;
          break;
        }
      }
    } catch (InterruptedException e) {
      // the worker is stopping: end like a cancel, it publishes no finish for this choice
      Thread.currentThread().interrupt();
      finish = FinishReason.CANCELLED;
    }
    if (finish != FinishReason.CANCELLED) {
      run.flush(sink);
    }
    return new GenerationOutcome(finish, prompt.length, run.generated);
  }

  /** One generation's tokens so far and what is held back from the sink. */
  private static final class Decoding {
    final long[] ids;
    int length;
    int generated;
    private int unsent;
    private final ByteTokenizer.Decoder decoder = new ByteTokenizer.Decoder();
    private final StopStrings stops;

    Decoding(long[] prompt, GenerationSpec spec) {
      this.ids = Arrays.copyOf(prompt, prompt.length + spec.maxTokens());
      this.length = prompt.length;
      this.stops = new StopStrings(spec.stop());
    }

    /** Takes a sampled token; true when it ends the generation ({@code <eos>}, a stop string). */
    boolean push(int token, TokenSink sink) {
      generated++;
      if (token == ByteTokenizer.EOS) {
        return true;
      }
      ids[length++] = token;
      unsent++;
      String text = stops.push(decoder.push(token));
      if (!text.isEmpty()) {
        sink.accept(text, unsent);
        unsent = 0;
      }
      return stops.stopped();
    }

    /** Sends what was held back as a possible stop-string prefix. */
    void flush(TokenSink sink) {
      String rest = stops.flush();
      if (!rest.isEmpty()) {
        sink.accept(rest, unsent);
      }
    }
  }

  private float[] nextLogits(long[] ids, int length) throws GenerationException {
    int start = Math.max(0, length - context);
    int t = length - start;
    try (OnnxTensor input =
            OnnxTensor.createTensor(env, LongBuffer.wrap(ids, start, t), new long[] {1, t});
        OrtSession.Result result = session.run(Map.of("input_ids", input))) {
      FloatBuffer logits = ((OnnxTensor) result.get(0)).getFloatBuffer();
      int v = logits.capacity() / t;
      float[] last = new float[v];
      logits.position((t - 1) * v);
      logits.get(last);
      return last;
    } catch (OrtException e) {
      throw new GenerationException(500, "InternalServerError", "model run failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // closing: nothing left to do
    }
  }
}
