package io.retain.scoring.prediction.purchase;

import org.jspecify.annotations.Nullable;

/**
 * A fitted purchase model: BG/NBD for how often and how long a customer buys, Gamma-Gamma for how
 * much per purchase (null when it was refused: then spend and CLV are null). Takes days (the API's
 * unit) and works in weeks inside.
 */
public record PurchaseModel(BgNbd bgNbd, @Nullable GammaGamma gammaGamma) {

  /** The length of one CLV month: a twelfth of a Julian year, 30.4375 days. */
  public static final double DAYS_PER_MONTH = 365.25 / 12;

  /** One customer's forecast over {@code horizonDays} (&gt; 0). */
  public Forecast forecast(PurchaseHistory h, int horizonDays) {
    if (horizonDays <= 0) {
      throw new IllegalArgumentException("horizonDays must be > 0, got " + horizonDays);
    }
    return new Forecast(
        bgNbd.pAlive(h.x(), h.txWeeks(), h.ageWeeks()),
        expectedPurchasesWithin(h, horizonDays),
        expectedAverageSpend(h));
  }

  /** E[Y(h)|x, tx, T] with h in days. */
  public double expectedPurchasesWithin(PurchaseHistory h, double days) {
    return bgNbd.expectedPurchases(
        days / PurchaseHistory.DAYS_PER_WEEK, h.x(), h.txWeeks(), h.ageWeeks());
  }

  /** E[M|x, m]: expected spend per purchase day; null without a spend model. */
  public @Nullable Double expectedAverageSpend(PurchaseHistory h) {
    return gammaGamma == null ? null : gammaGamma.expectedAverageSpend(h.x(), h.meanRepeatSpend());
  }

  /**
   * Model CLV: the discounted margin of the purchases expected over the next {@code months} months
   * of {@link #DAYS_PER_MONTH} days,
   *
   * <pre>Σ_{i=1..months} margin · E[M|x,m] · (E[Y(i·L)] − E[Y((i−1)·L)]) / (1 + monthlyDiscount)^i
   * </pre>
   *
   * each month's purchases discounted at its end; null without a spend model.
   */
  public @Nullable Double clv(
      PurchaseHistory h, int months, double monthlyDiscount, double margin) {
    if (months <= 0 || !(monthlyDiscount >= 0) || !(margin > 0 && margin <= 1)) {
      throw new IllegalArgumentException(
          "need months > 0, monthlyDiscount ≥ 0, 0 < margin ≤ 1; got "
              + months
              + ", "
              + monthlyDiscount
              + ", "
              + margin);
    }
    Double spend = expectedAverageSpend(h);
    if (spend == null) {
      return null;
    }
    double total = 0;
    double previous = 0;
    double discount = 1;
    for (int i = 1; i <= months; i++) {
      double cumulative = expectedPurchasesWithin(h, i * DAYS_PER_MONTH);
      discount /= 1 + monthlyDiscount;
      total += (cumulative - previous) * discount;
      previous = cumulative;
    }
    return margin * spend * total;
  }

  /**
   * @param pAlive probability the customer is still active as of the summary's date
   * @param expectedPurchases expected purchase days in the horizon
   * @param expectedAverageSpend expected spend per purchase day (null without a spend model)
   */
  public record Forecast(
      double pAlive, double expectedPurchases, @Nullable Double expectedAverageSpend) {}
}
