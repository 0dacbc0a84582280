package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.WeightProfile;
import io.retain.support.graphql.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Trains and validates one model version from rows already split out of time (pure): fits the
 * logistic regression on the training rows, predicts the validation rows, and reports AUC (DeLong
 * CI), Brier, calibration, lift, and paired comparisons with the loyalty score ({@code 100 −
 * score}: lower scores rank as riskier) and, when every row has one, {@code 1 − pAlive}.
 */
public final class ChurnTrainer {

  /** Fewer training positives than this is refused: the coefficients would be noise. */
  public static final int MIN_POSITIVES = 50;

  /** A fitted model with its report. */
  public record Trained(LogisticModel model, ChurnReport report) {}

  private ChurnTrainer() {}

  /** Trains with the default ridge strength; the weight proposal starts from {@code default}'s. */
  public static Trained train(
      ObservationPlan plan, List<TrainingRow> training, List<TrainingRow> validation) {
    return train(
        plan, training, validation, LogisticRegression.DEFAULT_LAMBDA, WeightProfile.defaults());
  }

  /** Trains; the weight proposal starts from {@code base} (its targets and current weights). */
  public static Trained train(
      ObservationPlan plan,
      List<TrainingRow> training,
      List<TrainingRow> validation,
      double lambda,
      WeightProfile base) {
    return train(plan, training, validation, lambda, base, List.of());
  }

  /**
   * Trains, recording the BG/NBD fits the rows' pAlive and expected purchases came from ({@code
   * purchaseFits}, one per observation date, last one served).
   */
  public static Trained train(
      ObservationPlan plan,
      List<TrainingRow> training,
      List<TrainingRow> validation,
      double lambda,
      WeightProfile base,
      List<PurchaseFeatures.Fit> purchaseFits) {
    int positives = (int) training.stream().filter(TrainingRow::churned).count();
    if (positives < MIN_POSITIVES) {
      throw new ApiException(
          "TOO_FEW_POSITIVES",
          "from",
          "at least " + MIN_POSITIVES + " churns among the training observations",
          "the training observations ("
              + plan.training().get(0)
              + " to "
              + plan.training().get(plan.training().size() - 1)
              + ") hold "
              + positives
              + " churns within "
              + plan.horizonDays()
              + " days; at least "
              + MIN_POSITIVES
              + " are needed");
    }
    double[][] x = training.stream().map(TrainingRow::features).toArray(double[][]::new);
    boolean[] y = new boolean[training.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = training.get(i).churned();
    }
    LogisticModel model = LogisticRegression.fit(ChurnFeatures.NAMES, x, y, lambda);

    int n = validation.size();
    double[] p = new double[n];
    boolean[] v = new boolean[n];
    int vPositives = 0;
    for (int i = 0; i < n; i++) {
      TrainingRow r = validation.get(i);
      p[i] = model.probability(LogisticRegression.select(ChurnFeatures.NAMES, model, r.features()));
      v[i] = r.churned();
      vPositives += v[i] ? 1 : 0;
    }
    List<ChurnReport.Weight> weights = new ArrayList<>();
    for (int j = 0; j < model.features().size(); j++) {
      weights.add(
          new ChurnReport.Weight(
              model.features().get(j), model.coefficients()[j], model.means()[j], model.sds()[j]));
    }
    boolean validated = vPositives > 0 && vPositives < n;
    RankMetrics.Auc auc = null;
    List<ChurnReport.Baseline> baselines = new ArrayList<>();
    String verdict;
    boolean beats = false;
    if (validated) {
      auc = RankMetrics.auc(p, v);
      baselines.add(baseline("LOYALTY_SCORE", p, loyaltyRanker(validation), v));
      if (validation.stream().anyMatch(r -> r.pAlive() != null)) {
        baselines.add(baseline("ONE_MINUS_P_ALIVE", p, deadRanker(validation), v));
      }
      beats = baselines.stream().allMatch(ChurnReport.Baseline::beaten);
      verdict = verdict(auc, baselines, beats);
    } else {
      verdict =
          "Not validated: the validation observations hold "
              + vPositives
              + " churns among "
              + n
              + " rows, so no AUC can be computed. This model cannot be activated.";
    }
    return new Trained(
        model,
        new ChurnReport(
            plan.horizonDays(),
            lambda,
            plan.training().get(0),
            plan.training().get(plan.training().size() - 1),
            plan.validation().get(0),
            plan.validation().get(plan.validation().size() - 1),
            training.size(),
            positives,
            n,
            vPositives,
            auc,
            validated ? RankMetrics.brier(p, v) : null,
            validated ? RankMetrics.calibration(p, v) : List.of(),
            validated ? RankMetrics.topDecileLift(p, v) : null,
            baselines,
            weights,
            validated,
            beats,
            verdict,
            WeightProposal.of(base, training, validation),
            List.copyOf(purchaseFits)));
  }

  /**
   * The loyalty score as a churn ranker: {@code 100 − score}; an unscored row ranks in the middle
   * of the scored ones (its median), neither riskier nor safer.
   */
  static double[] loyaltyRanker(List<TrainingRow> rows) {
    return medianFilled(rows, TrainingRow::loyaltyScore, 50, s -> 100 - s);
  }

  /**
   * {@code 1 − pAlive} as a churn ranker; a row without pAlive (no purchase before its date) ranks
   * at the median of the others, as an unscored row does for the loyalty score.
   */
  static double[] deadRanker(List<TrainingRow> rows) {
    return medianFilled(rows, TrainingRow::pAlive, 1, a -> 1 - a);
  }

  private static double[] medianFilled(
      List<TrainingRow> rows,
      java.util.function.Function<TrainingRow, @Nullable Double> value,
      double whenNone,
      java.util.function.DoubleUnaryOperator rank) {
    double[] known =
        rows.stream().map(value).filter(d -> d != null).mapToDouble(d -> d).sorted().toArray();
    double median = known.length == 0 ? whenNone : known[known.length / 2];
    return rows.stream()
        .mapToDouble(
            r -> {
              Double d = value.apply(r);
              return rank.applyAsDouble(d == null ? median : d);
            })
        .toArray();
  }

  private static ChurnReport.Baseline baseline(
      String name, double[] model, double[] ranker, boolean[] y) {
    RankMetrics.Comparison c = RankMetrics.compare(model, ranker, y);
    return new ChurnReport.Baseline(
        name, RankMetrics.auc(ranker, y), c, c.difference() > 0 && c.p() < 0.05);
  }

  private static String verdict(
      RankMetrics.Auc auc, List<ChurnReport.Baseline> baselines, boolean beats) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                java.util.Locale.ROOT,
                "Out-of-time AUC %.3f (95%% CI %.3f–%.3f).",
                auc.value(),
                auc.lower(),
                auc.upper()));
    for (ChurnReport.Baseline r : baselines) {
      b.append(
          String.format(
              java.util.Locale.ROOT,
              " %s %s ranks with AUC %.3f (difference %+.3f, p = %.3g).",
              r.beaten() ? "Better than" : "NOT better than",
              r.ranker().equals("LOYALTY_SCORE") ? "the loyalty score, which" : "1 − pAlive, which",
              r.auc().value(),
              r.modelMinusRanker().difference(),
              r.modelMinusRanker().p()));
    }
    b.append(
        beats
            ? " It may be activated."
            : " This model is no better than a baseline on the validation set and cannot be"
                + " activated.");
    return b.toString();
  }
}
