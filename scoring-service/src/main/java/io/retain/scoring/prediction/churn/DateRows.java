package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.prediction.churn.ChurnFeatures.PurchaseOutlook;
import io.retain.scoring.prediction.purchase.PurchaseHistory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One observation date's rows, appended to a {@link TrainingSet.Builder} as the date's bulk stream
 * flows (the same rows {@link TrainingRow#of} makes, without a row object), with BG/NBD's slots
 * empty; {@link #finish} fits BG/NBD on the date's buyers and fills them. The service and the
 * benchmark both build rows through it, so the benchmark measures the service's path.
 */
final class DateRows {

  private final LocalDate t;
  private final LocalDate dataDate;
  private final int horizonDays;
  private final TrainingSet.Builder into;
  private final int start;
  private final List<@Nullable PurchaseHistory> rowHistories = new ArrayList<>();
  private final List<PurchaseHistory> buyers = new ArrayList<>();

  DateRows(LocalDate t, int horizonDays, TrainingSet.Builder into) {
    this.t = t;
    this.dataDate = ChurnFeatures.dataDate(t);
    this.horizonDays = horizonDays;
    this.into = into;
    this.start = into.size();
  }

  /** The aggregates as of {@code t − 1} of one customer: a buyer for BG/NBD, a row if observed. */
  void add(Activity a, @Nullable ChurnEvent churn, WeightProfile profile) {
    PurchaseHistory h = PurchaseFeatures.history(a, dataDate);
    if (h != null) {
      buyers.add(h);
    }
    if (!TrainingRow.observed(a, t, churn)) {
      return;
    }
    ChurnFeatures.Observed o = ChurnFeatures.observe(a, profile, dataDate, null);
    into.add(
        o.features(), churn != null && churn.churnsWithin(t, horizonDays), o.loyaltyScore(), null);
    rowHistories.add(h);
  }

  /**
   * Fits BG/NBD on the date's buyers (sampled, seeded by the date) and writes every row's pAlive
   * and expected purchases; returns the fit (null without one).
   */
  PurchaseFeatures.@Nullable Fit finish() {
    PurchaseFeatures.Fit fit = PurchaseFeatures.fit(t, buyers, t.toEpochDay());
    for (int i = 0; i < rowHistories.size(); i++) {
      PurchaseOutlook o = PurchaseFeatures.outlook(fit, rowHistories.get(i), horizonDays);
      into.setFeature(start + i, ChurnFeatures.P_ALIVE, ChurnFeatures.pAlive(o));
      into.setFeature(
          start + i, ChurnFeatures.EXPECTED_PURCHASES, ChurnFeatures.expectedPurchases(o));
      into.setPAlive(start + i, ChurnFeatures.pAlive(o));
    }
    rowHistories.clear();
    buyers.clear();
    return fit;
  }
}
