package io.retain.scoring.prediction.churn;

import io.retain.scoring.prediction.churn.RankMetrics.Decile;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a trained model version is worth on its out-of-time validation set (DOMAIN.md §10.2), and
 * what it learned. {@code auc}, {@code brier}, {@code calibration} and {@code topDecileLift} are
 * null/empty when the validation set lacks a class ({@code validated} false). {@code
 * weightProposal}: loyalty weights learned from the same labels (null when no component protects).
 * {@code purchaseFits}: BG/NBD as fitted at each observation date for the pAlive and expected
 * purchases features (empty when nobody had bought; null in reports stored before they existed);
 * the last one is what predictions use.
 */
public record ChurnReport(
    int horizonDays,
    double lambda,
    LocalDate trainingFrom,
    LocalDate trainingTo,
    LocalDate validationFrom,
    LocalDate validationTo,
    int trainingRows,
    int trainingPositives,
    int validationRows,
    int validationPositives,
    RankMetrics.@Nullable Auc auc,
    @Nullable Double brier,
    List<Decile> calibration,
    @Nullable Double topDecileLift,
    List<Baseline> baselines,
    List<Weight> weights,
    boolean validated,
    boolean beatsBaselines,
    String verdict,
    @Nullable WeightProposal weightProposal,
    @Nullable List<PurchaseFeatures.Fit> purchaseFits) {

  /** The BG/NBD fit predictions compute pAlive with: the last observation date's, if any. */
  public PurchaseFeatures.@Nullable Fit servingPurchaseFit() {
    return purchaseFits == null || purchaseFits.isEmpty()
        ? null
        : purchaseFits.get(purchaseFits.size() - 1);
  }

  /**
   * A ranker the model is compared with on the same validation rows: its AUC, and the paired DeLong
   * test of model − ranker; {@code beaten} when the model's AUC is higher with p < 0.05.
   */
  public record Baseline(
      String ranker,
      RankMetrics.Auc auc,
      RankMetrics.Comparison modelMinusRanker,
      boolean beaten) {}

  /** A feature's coefficient per standard deviation, with the training mean and sd. */
  public record Weight(String feature, double coefficient, double mean, double sd) {}
}
