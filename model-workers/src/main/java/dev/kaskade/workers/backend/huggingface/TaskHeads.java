package dev.kaskade.workers.backend.huggingface;

/**
 * The arithmetic after the transformer, as KServe's huggingfaceserver does it in PyTorch: softmax,
 * argmax, and sentence-transformers' mean pooling with L2 normalisation. Pure.
 */
final class TaskHeads {
  private TaskHeads() {}

  /** Softmax of {@code logits[offset, offset+n)}, computed stably (max subtracted). */
  static float[] softmax(float[] logits, int offset, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double[] exp = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      exp[i] = Math.exp(logits[offset + i] - max);
      sum += exp[i];
    }
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (exp[i] / sum);
    }
    return out;
  }

  /** Index of the largest of {@code values[offset, offset+n)}; the first one on ties (torch). */
  static int argmax(float[] values, int offset, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  /** Rounds to 4 decimals, as huggingfaceserver formats probabilities ({@code f"{p:.4f}"}). */
  static float round4(float p) {
    return (float) (Math.round(p * 10_000d) / 10_000d);
  }

  /**
   * Mean of the token vectors of one row whose attention mask is 1, then divided by its L2 norm.
   *
   * @param hidden {@code [rows, length, dim]} row-major
   */
  static float[] meanPoolNormalized(float[] hidden, int row, int length, int dim, long[] mask) {
    double[] sum = new double[dim];
    double count = 0;
    int base = row * length * dim;
    for (int t = 0; t < length; t++) {
      if (mask[t] == 0) {
        continue;
      }
      count += mask[t];
      for (int d = 0; d < dim; d++) {
        sum[d] += hidden[base + t * dim + d] * mask[t];
      }
    }
    count = Math.max(count, 1e-9); // torch.clamp(min=1e-9)
    double norm = 0;
    for (int d = 0; d < dim; d++) {
      sum[d] /= count;
      norm += sum[d] * sum[d];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12); // F.normalize's eps
    float[] out = new float[dim];
    for (int d = 0; d < dim; d++) {
      out[d] = (float) (sum[d] / norm);
    }
    return out;
  }

  /** Indices of the {@code k} largest values, largest first (ties: lower index first). */
  static int[] topK(float[] values, int k) {
    int n = Math.min(k, values.length);
    int[] best = new int[n];
    boolean[] taken = new boolean[values.length];
    for (int j = 0; j < n; j++) {
      int pick = -1;
      for (int i = 0; i < values.length; i++) {
        if (!taken[i] && (pick < 0 || values[i] > values[pick])) {
          pick = i;
        }
      }
      taken[pick] = true;
      best[j] = pick;
    }
    return best;
  }
}
