package io.retain.scoring.prediction.purchase;

import org.hipparchus.special.Gamma;

/**
 * Gamma-Gamma spend model (Fader, Hardie &amp; Lee 2005b): a customer's purchase values are
 * Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the purchase process. Fitted on
 * repeat buyers (x &gt; 0) with m = mean spend of their repeat purchase days.
 *
 * @param p shape of the per-purchase spend distribution
 * @param q shape of the Gamma distribution of ν across customers (needs q &gt; 1 for a finite mean)
 * @param gamma scale of the Gamma distribution of ν across customers
 */
public record GammaGamma(double p, double q, double gamma) {

  public GammaGamma {
    if (!(p > 0 && q > 0 && gamma > 0) || Double.isInfinite(p + q + gamma)) {
      throw new IllegalArgumentException(
          "Gamma-Gamma parameters must be positive and finite: " + p + ", " + q + ", " + gamma);
    }
  }

  /** One repeat buyer's log-likelihood of mean spend m over x repeat purchases (as lifetimes). */
  public double logLikelihood(double x, double m) {
    double px = p * x;
    return Gamma.logGamma(px + q)
        - Gamma.logGamma(q)
        + q * Math.log(gamma)
        - Gamma.logGamma(px)
        + (px - 1) * Math.log(m)
        + px * Math.log(x)
        - (px + q) * Math.log(x * m + gamma);
  }

  /** The population's mean spend per purchase, p·γ/(q − 1); infinite when q ≤ 1. */
  public double populationMean() {
    return q > 1 ? p * gamma / (q - 1) : Double.POSITIVE_INFINITY;
  }

  /**
   * E[M | x, m]: the customer's expected spend per purchase, a weighted mean of the population mean
   * and the customer's own m (weight p·x/(p·x + q − 1)); the population mean when x = 0.
   */
  public double expectedAverageSpend(double x, double m) {
    if (!(q > 1)) {
      throw new IllegalStateException("E[M] is infinite when q ≤ 1 (q = " + q + ")");
    }
    if (x == 0) {
      return populationMean();
    }
    double weight = p * x / (p * x + q - 1);
    return (1 - weight) * populationMean() + weight * m;
  }
}
