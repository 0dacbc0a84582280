package io.retain.scoring.prediction.purchase;

import org.hipparchus.special.Gamma;

/**
 * BG/NBD parameters (Fader, Hardie &amp; Lee 2005) and the per-customer quantities they give. Time
 * is in weeks here; x = repeat purchases, tx = weeks from first to last purchase, T = weeks from
 * first purchase to the as-of date.
 *
 * @param r shape of the Gamma distribution of purchase rates
 * @param alpha scale of the Gamma distribution of purchase rates (weeks)
 * @param a first shape of the Beta distribution of drop-out probabilities
 * @param b second shape of the Beta distribution of drop-out probabilities
 */
public record BgNbd(double r, double alpha, double a, double b) {

  public BgNbd {
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0) || Double.isInfinite(r + alpha + a + b)) {
      throw new IllegalArgumentException(
          "BG/NBD parameters must be positive and finite: "
              + r
              + ", "
              + alpha
              + ", "
              + a
              + ", "
              + b);
    }
  }

  /**
   * One customer's log-likelihood, written as {@code lifetimes} does: the two terms of the
   * likelihood are combined by log-sum-exp so neither underflows.
   */
  public double logLikelihood(double x, double tx, double t) {
    return xTerms(x) + timeTerms(x, tx, t);
  }

  /**
   * The part of {@link #logLikelihood} that depends on x only (shared by customers with equal x).
   */
  double xTerms(double x) {
    return Gamma.logGamma(r + x)
        - Gamma.logGamma(r)
        + r * Math.log(alpha)
        + Gamma.logGamma(a + b)
        + Gamma.logGamma(b + x)
        - Gamma.logGamma(b)
        - Gamma.logGamma(a + b + x);
  }

  /** The part of {@link #logLikelihood} that depends on tx and T. */
  double timeTerms(double x, double tx, double t) {
    double a3 = -(r + x) * Math.log(alpha + t);
    if (x == 0) {
      return a3;
    }
    double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(tx + alpha);
    double max = Math.max(a3, a4);
    return max + Math.log(Math.exp(a3 - max) + Math.exp(a4 - max));
  }

  /** P(alive | x, tx, T): the probability that the customer has not dropped out by T. */
  public double pAlive(double x, double tx, double t) {
    if (x == 0) {
      return 1; // BG/NBD lets a customer drop out only right after a repeat purchase
    }
    double logOdds = (r + x) * Math.log((alpha + t) / (alpha + tx)) + Math.log(a / (b + x - 1));
    return 1 / (1 + Math.exp(logOdds));
  }

  /**
   * E[Y(h) | x, tx, T]: expected purchases in the next h weeks after T. Needs a ≠ 1 (the formula
   * has a − 1 in a denominator; the fit never lands exactly on it).
   */
  public double expectedPurchases(double h, double x, double tx, double t) {
    if (h < 0) {
      throw new IllegalArgumentException("horizon must be ≥ 0, got " + h);
    }
    if (h == 0) {
      return 0;
    }
    double z = h / (alpha + t + h);
    // ((alpha+T)/(alpha+T+h))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z), with (alpha+T)/(alpha+T+h) = 1 − z
    double logScaled = Hyp2F1.logValue(r + x, b + x, a + b + x - 1, z) + (r + x) * Math.log1p(-z);
    double numerator = (a + b + x - 1) / (a - 1) * -Math.expm1(logScaled);
    double denominator =
        x > 0 ? 1 + a / (b + x - 1) * Math.pow((alpha + t) / (alpha + tx), r + x) : 1;
    return numerator / denominator;
  }
}
