package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.prediction.churn.ChurnFeatures.PurchaseOutlook;
import java.time.LocalDate;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One customer at one observation date: its features, its label, and what the baseline rankers (the
 * loyalty score, {@code 1 − pAlive}) said at that date.
 *
 * @param loyaltyScore null when the customer is unscored at that date
 * @param pAlive null without a purchase model
 */
public record TrainingRow(
    String customerId,
    LocalDate observedAt,
    double[] features,
    boolean churned,
    @Nullable Double loyaltyScore,
    @Nullable Double pAlive) {

  /**
   * The row of a customer at {@code t} from its aggregates as of {@code t − 1}, or empty when it
   * was not an active customer at {@code t} (joined on or after {@code t}, or churned by then and
   * not won back). Label: a churn dated in {@code (t, t + horizonDays]}.
   */
  public static Optional<TrainingRow> of(
      Activity a,
      LocalDate t,
      int horizonDays,
      @Nullable ChurnEvent churn,
      WeightProfile profile,
      @Nullable PurchaseOutlook purchase) {
    if (!observed(a, t, churn)) {
      return Optional.empty();
    }
    ChurnFeatures.Observed o =
        ChurnFeatures.observe(a, profile, ChurnFeatures.dataDate(t), purchase);
    return Optional.of(
        new TrainingRow(
            a.customerId(),
            t,
            o.features(),
            churn != null && churn.churnsWithin(t, horizonDays),
            o.loyaltyScore(),
            purchase == null ? null : purchase.pAlive()));
  }

  /**
   * Whether a customer is an active customer at {@code t}: joined before it (by {@code t − 1}) and
   * not gone at it (churned by then and not won back).
   */
  static boolean observed(Activity a, LocalDate t, @Nullable ChurnEvent churn) {
    return !a.since().isAfter(ChurnFeatures.dataDate(t)) && (churn == null || !churn.goneAt(t));
  }

  /** This row with BG/NBD's outlook at its date (fitted once the date's population is read). */
  public TrainingRow withPurchase(@Nullable PurchaseOutlook purchase) {
    double[] f = features.clone();
    ChurnFeatures.setPurchase(f, purchase);
    return new TrainingRow(
        customerId,
        observedAt,
        f,
        churned,
        loyaltyScore,
        purchase == null ? null : purchase.pAlive());
  }
}
