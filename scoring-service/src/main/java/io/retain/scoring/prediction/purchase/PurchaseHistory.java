package io.retain.scoring.prediction.purchase;

/**
 * One customer's purchase summary as of a date, in days (the unit of the API): all completed
 * non-test orders of one calendar day count as one purchase.
 *
 * @param repeatPurchases x = distinct purchase days − 1
 * @param recencyDays tx = last − first purchase day
 * @param ageDays T = as-of date − first purchase day
 * @param meanRepeatSpend m = mean spend of the repeat purchase days (first day excluded); 0 when x
 *     = 0
 */
public record PurchaseHistory(
    int repeatPurchases, int recencyDays, int ageDays, double meanRepeatSpend) {

  /** Days per week: the models work in weeks, like the published BG/NBD numbers. */
  public static final double DAYS_PER_WEEK = 7;

  public PurchaseHistory {
    if (repeatPurchases < 0 || recencyDays < 0 || ageDays < recencyDays) {
      throw new IllegalArgumentException(
          "need x ≥ 0 and 0 ≤ tx ≤ T, got x="
              + repeatPurchases
              + " tx="
              + recencyDays
              + " T="
              + ageDays);
    }
    if (repeatPurchases > 0 && !(meanRepeatSpend > 0 && Double.isFinite(meanRepeatSpend))) {
      throw new IllegalArgumentException(
          "a repeat buyer needs a positive mean spend, got " + meanRepeatSpend);
    }
  }

  double x() {
    return repeatPurchases;
  }

  double txWeeks() {
    return recencyDays / DAYS_PER_WEEK;
  }

  double ageWeeks() {
    return ageDays / DAYS_PER_WEEK;
  }
}
