package dev.kaskade.workers.backend.huggingface;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.huggingface.TextEncoder.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the transformer's output ({@code logits} or {@code last_hidden_state}, {@code [rows,
 * length, …]}) into each task's output tensors. The first output is what KServe's huggingfaceserver
 * answers (and what V1 {@code predictions} holds); the others add names and scores.
 *
 * @param width classes (logits' last dimension), vocabulary size (fill-mask) or embedding size; -1
 *     when the model does not declare it
 */
record TaskOutputs(HfTask task, HfConfig config, HfOptions options, long width) {
  static final String OUTPUT_0 = "output-0";
  static final String EMBEDDING = "embedding";
  static final String TOKEN_COUNT = "token_count";

  /** The outputs every request of this task gets, in order. */
  List<TensorMetadata> metadata() {
    long k = options.topK();
    boolean probs = options.returnProbabilities();
    return switch (task) {
      case SEQUENCE_CLASSIFICATION ->
          List.of(
              probs ? meta(OUTPUT_0, DataType.FP32, -1, width) : meta(OUTPUT_0, DataType.INT64, -1),
              meta("label", DataType.BYTES, -1),
              meta("probabilities", DataType.FP32, -1, width));
      case TOKEN_CLASSIFICATION ->
          List.of(
              probs
                  ? meta(OUTPUT_0, DataType.FP32, -1, 1, -1, width)
                  : meta(OUTPUT_0, DataType.INT64, -1, 1, -1),
              meta("labels", DataType.BYTES, -1, -1));
      case FILL_MASK ->
          List.of(
              meta(OUTPUT_0, DataType.BYTES, -1),
              meta("top_k_tokens", DataType.BYTES, -1, k),
              meta("top_k_scores", DataType.FP32, -1, k));
      case TEXT_EMBEDDING ->
          List.of(meta(EMBEDDING, DataType.FP32, -1, width), meta(TOKEN_COUNT, DataType.INT64, -1));
    };
  }

  /**
   * The task's outputs for one batch.
   *
   * @param values the transformer output, {@code [rows, length, dims]} (or {@code [rows, dims]} for
   *     sequence classification)
   * @param dims its last dimension
   */
  List<Tensor> compute(Batch batch, float[] values, int dims, TextEncoder encoder) {
    return switch (task) {
      case SEQUENCE_CLASSIFICATION -> sequence(batch.rows(), values, dims);
      case TOKEN_CLASSIFICATION -> tokens(batch, values, dims);
      case FILL_MASK -> fillMask(batch, values, dims, encoder);
      case TEXT_EMBEDDING -> embedding(batch, values, dims);
    };
  }

  private List<Tensor> sequence(int rows, float[] logits, int classes) {
    long[] index = new long[rows];
    List<String> labels = new ArrayList<>(rows);
    float[] probabilities = new float[rows * classes];
    for (int r = 0; r < rows; r++) {
      index[r] = TaskHeads.argmax(logits, r * classes, classes);
      labels.add(config.label((int) index[r]));
      float[] p = TaskHeads.softmax(logits, r * classes, classes);
      System.arraycopy(p, 0, probabilities, r * classes, classes);
    }
    List<Long> shape = List.of((long) rows, (long) classes);
    Tensor first =
        options.returnProbabilities()
            ? Tensors.ofFloats(OUTPUT_0, shape, rounded(probabilities))
            : Tensors.ofLongs(OUTPUT_0, List.of((long) rows), index);
    return List.of(
        first,
        Tensors.ofStrings("label", List.of((long) rows), labels),
        Tensors.ofFloats("probabilities", shape, probabilities));
  }

  private List<Tensor> tokens(Batch batch, float[] logits, int classes) {
    int rows = batch.rows();
    int length = batch.length();
    long[] index = new long[rows * length];
    float[] probabilities = new float[rows * length * classes];
    List<String> labels = new ArrayList<>(rows * length);
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < length; t++) {
        int at = (r * length + t) * classes;
        int best = TaskHeads.argmax(logits, at, classes);
        index[r * length + t] = best;
        float[] p = TaskHeads.softmax(logits, at, classes);
        System.arraycopy(p, 0, probabilities, at, classes);
        labels.add(batch.mask()[r][t] == 0 ? "" : config.label(best));
      }
    }
    Tensor first =
        options.returnProbabilities()
            ? Tensors.ofFloats(
                OUTPUT_0,
                List.of((long) rows, 1L, (long) length, (long) classes),
                rounded(probabilities))
            : Tensors.ofLongs(OUTPUT_0, List.of((long) rows, 1L, (long) length), index);
    return List.of(first, Tensors.ofStrings("labels", List.of((long) rows, (long) length), labels));
  }

  private List<Tensor> fillMask(Batch batch, float[] logits, int vocab, TextEncoder encoder) {
    int rows = batch.rows();
    int length = batch.length();
    int k = Math.min(options.topK(), vocab);
    List<String> filled = new ArrayList<>(rows);
    List<String> topTokens = new ArrayList<>(rows * k);
    float[] topScores = new float[rows * k];
    for (int r = 0; r < rows; r++) {
      List<Integer> positions = new ArrayList<>();
      for (int t = 0; t < length; t++) {
        if (batch.mask()[r][t] == 1 && batch.ids()[r][t] == encoder.maskId()) {
          positions.add(t);
        }
      }
      if (positions.isEmpty()) {
        throw KaskadeException.invalid(
            "instance " + r + " has no mask token: fill_mask needs one in every text");
      }
      long[] predicted = new long[positions.size()];
      for (int i = 0; i < predicted.length; i++) {
        predicted[i] = TaskHeads.argmax(logits, (r * length + positions.get(i)) * vocab, vocab);
      }
      filled.add(encoder.decode(predicted));
      float[] p = TaskHeads.softmax(logits, (r * length + positions.get(0)) * vocab, vocab);
      int[] best = TaskHeads.topK(p, k);
      for (int j = 0; j < k; j++) {
        topTokens.add(encoder.decode(new long[] {best[j]}));
        topScores[r * k + j] = p[best[j]];
      }
    }
    List<Long> topShape = List.of((long) rows, (long) k);
    return List.of(
        Tensors.ofStrings(OUTPUT_0, List.of((long) rows), filled),
        Tensors.ofStrings("top_k_tokens", topShape, topTokens),
        Tensors.ofFloats("top_k_scores", topShape, topScores));
  }

  private List<Tensor> embedding(Batch batch, float[] hidden, int dim) {
    int rows = batch.rows();
    float[] out = new float[rows * dim];
    long[] counts = new long[rows];
    for (int r = 0; r < rows; r++) {
      float[] v = TaskHeads.meanPoolNormalized(hidden, r, batch.length(), dim, batch.mask()[r]);
      System.arraycopy(v, 0, out, r * dim, dim);
      counts[r] = batch.tokenCount(r);
    }
    return List.of(
        Tensors.ofFloats(EMBEDDING, List.of((long) rows, (long) dim), out),
        Tensors.ofLongs(TOKEN_COUNT, List.of((long) rows), counts));
  }

  private static float[] rounded(float[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = TaskHeads.round4(values[i]);
    }
    return out;
  }

  private static TensorMetadata meta(String name, DataType type, long... shape) {
    List<Long> dims = new ArrayList<>(shape.length);
    for (long d : shape) {
      dims.add(d);
    }
    return new TensorMetadata(name, type, dims);
  }
}
