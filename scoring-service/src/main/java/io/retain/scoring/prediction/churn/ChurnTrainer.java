package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.WeightProfile;
import io.retain.support.graphql.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    return train(
        plan, TrainingSet.of(training), TrainingSet.of(validation), lambda, base, purchaseFits);
  }

  /** {@link #train} on rows stored by column (what the service and the benchmark build). */
  public static Trained train(
      ObservationPlan plan,
      TrainingSet training,
      TrainingSet validation,
      double lambda,
      WeightProfile base,
      List<PurchaseFeatures.Fit> purchaseFits) {
    int positives = training.positives();
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
    LogisticModel model =
        LogisticRegression.fitColumns(
            ChurnFeatures.NAMES, training.columns(), training.churned(), lambda);

    int n = validation.size();
    double[] p = predict(model, validation);
    boolean[] v = validation.churned();
    int vPositives = validation.positives();
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
      if (validation.anyPAlive()) {
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

  /** The model's probability for every row (features picked by name, as serving does). */
  static double[] predict(LogisticModel model, TrainingSet rows) {
    double[][] columns = new double[model.features().size()][];
    for (int j = 0; j < columns.length; j++) {
      int at = ChurnFeatures.NAMES.indexOf(model.features().get(j));
      columns[j] = at < 0 ? null : rows.column(at);
    }
    double[] p = new double[rows.size()];
    double[] x = new double[columns.length];
    for (int i = 0; i < p.length; i++) {
      for (int j = 0; j < x.length; j++) {
        x[j] = columns[j] == null ? Double.NaN : columns[j][i];
      }
      p[i] = model.probability(x);
    }
    return p;
  }

  /**
   * The loyalty score as a churn ranker: {@code 100 − score}; an unscored row ranks in the middle
   * of the scored ones (its median), neither riskier nor safer.
   */
  static double[] loyaltyRanker(TrainingSet rows) {
    return medianFilled(rows.loyaltyScores(), 50, s -> 100 - s);
  }

  /**
   * {@code 1 − pAlive} as a churn ranker; a row without pAlive (no purchase before its date) ranks
   * at the median of the others, as an unscored row does for the loyalty score.
   */
  static double[] deadRanker(TrainingSet rows) {
    return medianFilled(rows.pAlives(), 1, a -> 1 - a);
  }

  /** {@link #deadRanker} of rows in the per-row form. */
  static double[] deadRanker(List<TrainingRow> rows) {
    return deadRanker(TrainingSet.of(rows));
  }

  /** {@code rank} of each value, a missing one (NaN) replaced by the median of the present ones. */
  private static double[] medianFilled(
      double[] values, double whenNone, java.util.function.DoubleUnaryOperator rank) {
    double[] known = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    double median = known.length == 0 ? whenNone : known[known.length / 2];
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = rank.applyAsDouble(Double.isNaN(values[i]) ? median : values[i]);
    }
    return out;
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
