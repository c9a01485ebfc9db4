package dev.kaskade.processors.monitor;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * Mahalanobis distance against a reference sample: {@code d(x) = sqrt((x−μ)ᵀ Σ⁺ (x−μ))} with Σ⁺ the
 * Moore–Penrose pseudo-inverse, so constant or collinear features do not break it. For Gaussian
 * data d² follows χ²(k) with k the rank of Σ, hence the threshold {@code sqrt(χ²_k quantile(p))}.
 */
public final class OutlierDetector {
  private final double[] mean;
  private final RealMatrix inverse;
  private final double threshold;

  private OutlierDetector(double[] mean, RealMatrix inverse, double threshold) {
    this.mean = mean;
    this.inverse = inverse;
    this.threshold = threshold;
  }

  /** Fits mean and pseudo-inverse covariance; needs at least two rows. */
  public static OutlierDetector fit(double[][] reference, double p) {
    if (reference.length < 2) {
      throw new IllegalArgumentException("outlier reference needs at least two rows");
    }
    int k = reference[0].length;
    double[] mean = new double[k];
    for (double[] row : reference) {
      for (int j = 0; j < k; j++) {
        mean[j] += row[j] / reference.length;
      }
    }
    RealMatrix covariance =
        new Covariance(new Array2DRowRealMatrix(reference), true).getCovarianceMatrix();
    SingularValueDecomposition svd = new SingularValueDecomposition(covariance);
    int rank = Math.max(1, svd.getRank());
    double threshold = Math.sqrt(new ChiSquaredDistribution(rank).inverseCumulativeProbability(p));
    return new OutlierDetector(mean, svd.getSolver().getInverse(), threshold);
  }

  public double score(double[] x) {
    RealVector d = new ArrayRealVector(x).subtract(new ArrayRealVector(mean));
    return Math.sqrt(Math.max(0, d.dotProduct(inverse.operate(d))));
  }

  public double threshold() {
    return threshold;
  }

  public int features() {
    return mean.length;
  }
}
