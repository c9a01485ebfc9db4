package dev.kaskade.workers.generation.tinylm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: argmax at temperature 0 (lowest id on ties, so greedy output is
 * fixed), else softmax at the temperature, cut to the smallest set of tokens whose mass reaches
 * top_p, drawn from a seeded {@link SplittableRandom}. Pure apart from the random source.
 */
public final class Sampler {
  private Sampler() {}

  public static int pick(float[] logits, double temperature, double topP, SplittableRandom random) {
    if (temperature <= 0) {
      return argmax(logits);
    }
    int n = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      p[i] = Math.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      p[i] /= sum;
    }
    Arrays.sort(order, (a, b) -> p[b] != p[a] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
    double mass = 0;
    int keep = 0;
    double limit = topP <= 0 || topP > 1 ? 1 : topP;
    while (keep < n && (keep == 0 || mass < limit)) {
      mass += p[order[keep++]];
    }
    double draw = random.nextDouble() * mass;
    for (int k = 0; k < keep; k++) {
      draw -= p[order[k]];
      if (draw <= 0) {
        return order[k];
      }
    }
    return order[keep - 1];
  }

  static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
