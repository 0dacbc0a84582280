package io.retain.scoring.prediction.purchase;

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for real parameters and 0 ≤ z < 1 (and |z| < 1
 * generally), which no library on the classpath offers.
 *
 * <p>The Gauss series' terms behave like n^(a+b−c−1)·zⁿ. When a + b − c &gt; 0 (the case of every
 * BG/NBD expectation) they first grow and then fall slowly near z = 1, so the value is taken from
 * Euler's transformation ₂F₁(a,b;c;z) = (1−z)^(c−a−b)·₂F₁(c−a, c−b; c; z), whose terms behave like
 * n^(c−a−b−1)·zⁿ and so fall from the start. {@link #logValue} keeps the (1−z) power in logs, so a
 * value beyond the double range (large a near z = 1) still has a finite logarithm.
 */
public final class Hyp2F1 {

  private static final double EPSILON = 1e-15;
  private static final int MAX_TERMS = 5_000_000;

  private Hyp2F1() {}

  /** ₂F₁(a, b; c; z). */
  public static double value(double a, double b, double c, double z) {
    if (useEuler(a, b, c, z)) {
      return Math.pow(1 - z, c - a - b) * series(c - a, c - b, c, z);
    }
    return series(a, b, c, z);
  }

  /**
   * ln ₂F₁(a, b; c; z), for parameters where the value is positive (e.g. a, b, c &gt; 0, z ≥ 0).
   */
  public static double logValue(double a, double b, double c, double z) {
    if (useEuler(a, b, c, z)) {
      return (c - a - b) * Math.log1p(-z) + Math.log(series(c - a, c - b, c, z));
    }
    return Math.log(series(a, b, c, z));
  }

  private static boolean useEuler(double a, double b, double c, double z) {
    if (!(Math.abs(z) < 1) || Double.isNaN(a + b + c)) {
      throw new IllegalArgumentException("2F1 needs finite parameters and |z| < 1, got z=" + z);
    }
    if (c <= 0 && c == Math.rint(c)) {
      throw new IllegalArgumentException("2F1 is undefined for c = " + c);
    }
    return z > 0 && a + b - c > 0;
  }

  /** The Gauss series Σ (a)ₙ(b)ₙ/(c)ₙ zⁿ/n!, summed until the remaining tail is below ε·|sum|. */
  static double series(double a, double b, double c, double z) {
    double term = 1;
    double sum = 1;
    for (int n = 0; n < MAX_TERMS; n++) {
      double ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      if (ratio == 0) {
        return sum; // a or b is a non-positive integer: the series is a polynomial
      }
      term *= ratio;
      sum += term;
      // the ratios tend to z, from above or below: past this point none exceeds max(next, |z|),
      // so the tail is below |term|·ρ/(1−ρ)
      double rho =
          Math.max(Math.abs((a + n + 1) * (b + n + 1) / ((c + n + 1) * (n + 2)) * z), Math.abs(z));
      if (rho < 1 && Math.abs(term) * rho / (1 - rho) <= EPSILON * Math.abs(sum)) {
        return sum;
      }
    }
    throw new ArithmeticException(
        "2F1("
            + a
            + ", "
            + b
            + "; "
            + c
            + "; "
            + z
            + ") did not converge in "
            + MAX_TERMS
            + " terms");
  }
}
