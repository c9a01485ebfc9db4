package dev.kaskade.schemas.monitor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
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
 *
 * <p>The one implementation of the math: the stream-processors monitor uses it for OutlierScore
 * events, the model workers for the {@code outlier_score}/{@code outlier} response parameters.
 */
public final class OutlierDetector {
  /** Response parameter: the distance of each row (a number, or a JSON array for n rows). */
  public static final String SCORE_PARAMETER = "outlier_score";

  /** Response parameter: whether each row is beyond the threshold (true/false, or an array). */
  public static final String OUTLIER_PARAMETER = "outlier";

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

  public boolean isOutlier(double score) {
    return score > threshold;
  }

  /**
   * The response parameters for these rows: {@value #SCORE_PARAMETER} and {@value
   * #OUTLIER_PARAMETER}, plain values for one row, JSON arrays of n values for n rows.
   *
   * @throws IllegalArgumentException when a row does not have {@link #features()} values
   */
  public Map<String, String> responseParameters(double[][] rows) {
    StringJoiner scores = new StringJoiner(",", "[", "]");
    StringJoiner flags = new StringJoiner(",", "[", "]");
    String lastScore = "";
    String lastFlag = "";
    for (double[] row : rows) {
      if (row.length != mean.length) {
        throw new IllegalArgumentException(
            "row has " + row.length + " features, the outlier reference " + mean.length);
      }
      double score = score(row);
      lastScore = Double.toString(score);
      lastFlag = Boolean.toString(isOutlier(score));
      scores.add(lastScore);
      flags.add(lastFlag);
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put(SCORE_PARAMETER, rows.length == 1 ? lastScore : scores.toString());
    out.put(OUTLIER_PARAMETER, rows.length == 1 ? lastFlag : flags.toString());
    return out;
  }
}
