package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.engine.WeightProfile;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The classifier's features at an observation date {@code t} (DOMAIN.md §10.2), computed from
 * customer-service's aggregates as of {@code t − 1} (so from data dated before {@code t} only) and
 * the §3/§4 metrics and components the scoring engine derives from them. Never read: {@code status}
 * (today's, not t's) and anything else that is not as of the aggregates' date. Missing values are
 * NaN (imputed by the model with the training mean, so they contribute nothing); the {@code
 * *_missing} flags carry the silence itself. Counts and money are log1p-transformed (heavy tails).
 * RFM quintiles are left out: they are monotone in recency, orders and spend, which are in.
 */
public final class ChurnFeatures {

  /**
   * Feature keys, in the order of {@link #observe}'s array; labels are {@code churn.feature.<key>}.
   */
  public static final List<String> NAMES =
      List.of(
          "days_since_last_order",
          "never_ordered",
          "tenure_months",
          "orders_in_window",
          "spend_in_window",
          "repurchase",
          "stability",
          "stability_missing",
          "frequency",
          "frequency_drop",
          "nps",
          "nps_missing",
          "complaint_rate",
          "complaints",
          "tickets",
          "tickets_open_7_days",
          "response_hours",
          "csat",
          "manager_changed_90_days",
          "loyalty_score",
          "enterprise",
          "value_tier_key",
          "value_tier_major",
          "value_tier_small",
          "p_alive",
          "expected_purchases");

  /**
   * §6's 12-month retention used for CLV when none is known for the segment (as stored scores use).
   */
  static final double DEFAULT_RETENTION = 0.8;

  /** What one customer looks like at an observation date: features, loyalty score, CLV. */
  public record Observed(double[] features, @Nullable Double loyaltyScore, double clv) {}

  /** BG/NBD's outlook for a customer at the same date, when a purchase model is fitted. */
  public record PurchaseOutlook(double pAlive, double expectedPurchases) {}

  private ChurnFeatures() {}

  /** The observation date features from {@code a} as of {@code t − 1} describe. */
  public static LocalDate dataDate(LocalDate t) {
    return t.minusDays(1);
  }

  /**
   * Features of one customer from its aggregates as of {@code dataDate} (data dated on or before
   * it), with the profile that scores it.
   */
  public static Observed observe(
      Activity a, WeightProfile profile, LocalDate dataDate, @Nullable PurchaseOutlook purchase) {
    return observe(
        a, ScoringEngine.assess(a, profile, dataDate, null, DEFAULT_RETENTION), dataDate, purchase);
  }

  /**
   * Features from an assessment already made of {@code a} as of {@code dataDate} with the
   * customer's profile and {@link #DEFAULT_RETENTION} (rescoring's: its previous score moves only
   * risk factors, which no feature reads), saving a second scoring per customer.
   */
  public static Observed observe(
      Activity a, Assessment s, LocalDate dataDate, @Nullable PurchaseOutlook purchase) {
    return new Observed(features(a, s, dataDate, purchase), s.score(), s.value().clv());
  }

  private static double[] features(
      Activity a, Assessment s, LocalDate dataDate, @Nullable PurchaseOutlook purchase) {
    Assessment.Metrics m = s.metrics();
    double nan = Double.NaN;
    Double stability = m.orderValueStability();
    Double nps = m.nps();
    Double drop = ScoringEngine.frequencyDrop(a.ordersByBucket(), m.observedMonths());
    LocalDate managerChanged = a.accountManagerChangedAt();
    boolean managerRecent =
        managerChanged != null
            && !managerChanged.isAfter(dataDate)
            && ChronoUnit.DAYS.between(managerChanged, dataDate) < 90;
    String tier = a.valueTier() == null ? "" : a.valueTier();
    double[] f = {
      Math.log1p(Math.max(0, m.daysSinceLastOrder() == null ? 0 : m.daysSinceLastOrder())),
      a.lastOrderDate() == null ? 1 : 0,
      m.tenureMonths(),
      Math.log1p(m.ordersInWindow()),
      Math.log1p(Math.max(0, a.spendInWindow())),
      m.repurchaseRate(),
      stability == null ? nan : stability,
      stability == null ? 1 : 0,
      Math.log1p(m.purchaseFrequency()),
      drop == null ? nan : drop,
      nps == null ? nan : nps,
      nps == null ? 1 : 0,
      m.complaintRate(),
      Math.log1p(a.complaintsInWindow()),
      Math.log1p(a.ticketsInWindow()),
      a.ticketsOpenOver7Days(),
      m.meanFirstResponseHours() == null ? nan : Math.log1p(m.meanFirstResponseHours()),
      a.csatResponses() > 0 && a.csatMean() != null ? a.csatMean() : nan,
      managerRecent ? 1 : 0,
      s.score() == null ? nan : s.score(),
      "ENTERPRISE".equals(a.kind()) ? 1 : 0,
      "KEY".equals(tier) ? 1 : 0,
      "MAJOR".equals(tier) ? 1 : 0,
      "SMALL".equals(tier) ? 1 : 0,
      nan,
      nan
    };
    setPurchase(f, purchase);
    return f;
  }

  static final int P_ALIVE = NAMES.indexOf("p_alive");
  static final int EXPECTED_PURCHASES = NAMES.indexOf("expected_purchases");

  /** Writes BG/NBD's outlook into a feature array (missing, NaN, without one). */
  static void setPurchase(double[] f, @Nullable PurchaseOutlook purchase) {
    f[P_ALIVE] = pAlive(purchase);
    f[EXPECTED_PURCHASES] = expectedPurchases(purchase);
  }

  /** The {@code p_alive} feature of an outlook (NaN without one). */
  static double pAlive(@Nullable PurchaseOutlook purchase) {
    return purchase == null ? Double.NaN : purchase.pAlive();
  }

  /** The {@code expected_purchases} feature of an outlook (NaN without one). */
  static double expectedPurchases(@Nullable PurchaseOutlook purchase) {
    return purchase == null ? Double.NaN : Math.log1p(purchase.expectedPurchases());
  }

  /** The index of a feature key in {@link #NAMES}. */
  static int index(String key) {
    int i = NAMES.indexOf(key);
    if (i < 0) {
      throw new IllegalArgumentException("unknown feature " + key);
    }
    return i;
  }
}
