package io.retain.scoring.rescoring;

/**
 * A double that holds a decimal of at most a few places (a score to one place, an amount in cents)
 * written as the plain decimal text PostgreSQL's numeric reads. {@code Double.toString} on the JDK
 * this runs on goes through FloatingDecimal, the largest single cost of encoding a batch; the value
 * stored is the same, since the column rounds to the same places.
 */
final class Decimals {

  private static final long[] POW = {1, 10, 100, 1_000, 10_000};

  private Decimals() {}

  /** {@code v} rounded to {@code scale} places (0-4), e.g. {@code of(72.3, 1)} is "72.3". */
  static String of(double v, int scale) {
    if (!Double.isFinite(v) || Math.abs(v) >= 1e12) {
      return Double.toString(v); // not a score or an amount; numeric reads this form too
    }
    long unscaled = Math.round(v * POW[scale]);
    StringBuilder b = new StringBuilder(24);
    if (unscaled < 0) {
      b.append('-');
      unscaled = -unscaled;
    }
    b.append(unscaled / POW[scale]);
    if (scale > 0) {
      String frac = Long.toString(unscaled % POW[scale]);
      b.append('.');
      for (int i = frac.length(); i < scale; i++) {
        b.append('0');
      }
      b.append(frac);
    }
    return b.toString();
  }
}
