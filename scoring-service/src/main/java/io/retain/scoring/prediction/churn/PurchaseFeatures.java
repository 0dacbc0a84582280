package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.prediction.churn.ChurnFeatures.PurchaseOutlook;
import io.retain.scoring.prediction.purchase.BgNbd;
import io.retain.scoring.prediction.purchase.PurchaseData;
import io.retain.scoring.prediction.purchase.PurchaseHistory;
import io.retain.scoring.prediction.purchase.PurchaseModelFit;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The classifier's BG/NBD features (pAlive, expected purchases within the horizon) at an
 * observation date, from the aggregates as of the day before it: x = purchase days − 1, tₓ = last −
 * first purchase day, T = data date − first purchase day (DOMAIN.md §10.1's summary, cut at the
 * data date, so nothing dated on or after the observation date is seen). BG/NBD is refitted for
 * every observation date over the population that had bought by then, on a seeded sample of at most
 * {@link #SAMPLE} customers (the four parameters are population-level; ADR 0012).
 */
public final class PurchaseFeatures {

  /** The largest population a per-date BG/NBD fit is run on; larger ones are sampled. */
  public static final int SAMPLE = 50_000;

  /** BG/NBD as fitted at one observation date (from the aggregates of the day before). */
  public record Fit(
      LocalDate observedAt,
      double r,
      double alpha,
      double a,
      double b,
      int fittedOn,
      int buyers,
      boolean converged) {

    BgNbd model() {
      return new BgNbd(r, alpha, a, b);
    }
  }

  private PurchaseFeatures() {}

  /**
   * A customer's summary as of {@code dataDate}, or null before a first purchase (BG/NBD starts at
   * it). Spend is not part of BG/NBD: the mean spend is a placeholder the history requires.
   */
  public static @Nullable PurchaseHistory history(Activity a, LocalDate dataDate) {
    if (a.purchaseDaysAllTime() <= 0 || a.firstOrderDate() == null || a.lastOrderDate() == null) {
      return null;
    }
    int first = (int) a.firstOrderDate().toEpochDay();
    return new PurchaseHistory(
        a.purchaseDaysAllTime() - 1,
        (int) a.lastOrderDate().toEpochDay() - first,
        (int) ChronoUnit.DAYS.between(a.firstOrderDate(), dataDate),
        1);
  }

  /**
   * Fits BG/NBD on the buyers' summaries (a sample of {@link #SAMPLE} drawn with {@code seed} when
   * there are more), or null when there are none or the optimum was not confirmed.
   */
  public static @Nullable Fit fit(LocalDate observedAt, List<PurchaseHistory> buyers, long seed) {
    if (buyers.isEmpty()) {
      return null;
    }
    List<PurchaseHistory> sample = buyers;
    if (buyers.size() > SAMPLE) {
      sample = new ArrayList<>(buyers);
      Collections.shuffle(sample, new Random(seed));
      sample = sample.subList(0, SAMPLE);
    }
    try {
      var fit = PurchaseModelFit.bgNbd(PurchaseData.of(sample));
      BgNbd m = fit.model();
      return new Fit(
          observedAt,
          m.r(),
          m.alpha(),
          m.a(),
          m.b(),
          sample.size(),
          buyers.size(),
          fit.converged());
    } catch (IllegalArgumentException e) {
      return null; // parameters left the positive finite range: no usable fit at this date
    }
  }

  /**
   * The outlook of one customer under a fit, over {@code horizonDays}; null without a purchase (the
   * features stay missing and {@code never_ordered} carries it) or without a converged fit.
   */
  public static @Nullable PurchaseOutlook outlook(
      @Nullable Fit fit, @Nullable PurchaseHistory h, int horizonDays) {
    if (fit == null || !fit.converged() || h == null) {
      return null;
    }
    BgNbd m = fit.model();
    double tx = h.recencyDays() / PurchaseHistory.DAYS_PER_WEEK;
    double t = h.ageDays() / PurchaseHistory.DAYS_PER_WEEK;
    return new PurchaseOutlook(
        m.pAlive(h.repeatPurchases(), tx, t),
        m.expectedPurchases(
            horizonDays / PurchaseHistory.DAYS_PER_WEEK, h.repeatPurchases(), tx, t));
  }
}
