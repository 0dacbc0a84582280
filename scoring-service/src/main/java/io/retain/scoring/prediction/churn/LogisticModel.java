package io.retain.scoring.prediction.churn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A fitted logistic regression on standardised features: {@code logit = intercept + Σ βⱼ·zⱼ},
 * {@code zⱼ = (xⱼ − meanⱼ) / sdⱼ}. A missing value (NaN) is imputed with the training mean, so it
 * contributes nothing. Each term βⱼ·zⱼ is the feature's exact contribution to the log-odds.
 *
 * @param features feature keys, in the order of the value arrays
 * @param means training means (of present values) used to centre and impute
 * @param sds training standard deviations (features with none were dropped before fitting)
 */
public record LogisticModel(
    List<String> features, double[] means, double[] sds, double intercept, double[] coefficients) {

  /** One feature's part of a prediction. */
  public record Contribution(String feature, double value, double contribution) {}

  /** The log-odds for raw feature values (in {@link #features()} order). */
  public double logit(double[] x) {
    double s = intercept;
    for (int j = 0; j < coefficients.length; j++) {
      s += coefficients[j] * z(j, x[j]);
    }
    return s;
  }

  /** The probability for raw feature values. */
  public double probability(double[] x) {
    return sigmoid(logit(x));
  }

  /** Every feature's contribution to the log-odds, largest push towards churn first. */
  public List<Contribution> contributions(double[] x) {
    List<Contribution> out = new ArrayList<>(features.size());
    for (int j = 0; j < coefficients.length; j++) {
      out.add(new Contribution(features.get(j), x[j], coefficients[j] * z(j, x[j])));
    }
    out.sort(Comparator.comparingDouble(Contribution::contribution).reversed());
    return out;
  }

  double z(int j, double x) {
    return Double.isNaN(x) ? 0 : (x - means[j]) / sds[j];
  }

  static double sigmoid(double t) {
    return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  }
}
