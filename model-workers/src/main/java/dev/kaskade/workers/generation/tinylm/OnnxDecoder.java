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

  public OnnxDecoder(OrtEnvironment env, OrtSession session, int context, int maxConcurrent) {
    this.env = env;
    this.session = session;
    this.context = Math.max(1, context);
    this.maxConcurrent = Math.max(1, maxConcurrent);
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
    long[] ids = Arrays.copyOf(prompt, prompt.length + spec.maxTokens());
    int length = prompt.length;
    ByteTokenizer.Decoder decoder = new ByteTokenizer.Decoder();
    StopStrings stops = new StopStrings(spec.stop());
    SplittableRandom random =
        spec.seed() == null ? new SplittableRandom() : new SplittableRandom(spec.seed());
    FinishReason finish = FinishReason.LENGTH;
    int generated = 0;
    int unsent = 0;
    while (generated < spec.maxTokens()) {
      if (cancel.cancelled()) {
        finish = FinishReason.CANCELLED;
        break;
      }
      int token = Sampler.pick(nextLogits(ids, length), spec.temperature(), spec.topP(), random);
      generated++;
      if (token == ByteTokenizer.EOS) {
        finish = FinishReason.STOP;
        break;
      }
      ids[length++] = token;
      unsent++;
      String text = stops.push(decoder.push(token));
      if (!text.isEmpty()) {
        sink.accept(text, unsent);
        unsent = 0;
      }
      if (stops.stopped()) {
        finish = FinishReason.STOP;
        break;
      }
    }
    String rest = stops.flush();
    if (!rest.isEmpty() && finish != FinishReason.CANCELLED) {
      sink.accept(rest, unsent);
    }
    return new GenerationOutcome(finish, prompt.length, generated);
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
