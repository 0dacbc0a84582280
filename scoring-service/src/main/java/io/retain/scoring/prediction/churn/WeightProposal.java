package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.Component;
import io.retain.scoring.engine.WeightProfile;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Weights learned from churn (seed: 指标权重需动态调整): how well each loyalty component predicts churn on
 * the training rows (a logistic regression on the six 0–100 components), turned into a weight
 * profile proposal, and both the proposal and the current profile judged as rankers on the same
 * out-of-time validation rows. A component whose higher values do not mean less churn gets weight
 * 0. Never applied by itself: an ADMIN stores it as a profile version.
 *
 * @param weights proposed integer weights summing to 100, by component key
 * @param current the base profile's weights, by component key
 * @param coefficients log-odds per point of each component (negative: protects against churn)
 */
public record WeightProposal(
    String baseProfile,
    int baseVersion,
    Map<String, Integer> weights,
    Map<String, Integer> current,
    Map<String, Double> coefficients,
    RankMetrics.@Nullable Auc currentAuc,
    RankMetrics.@Nullable Auc proposedAuc,
    RankMetrics.@Nullable Comparison proposedMinusCurrent) {

  /** The proposal from training rows, judged on validation rows; null when nothing protects. */
  static @Nullable WeightProposal of(
      WeightProfile base, List<TrainingRow> training, List<TrainingRow> validation) {
    return of(base, TrainingSet.of(training), TrainingSet.of(validation));
  }

  /** {@link #of} on rows stored by column. */
  static @Nullable WeightProposal of(
      WeightProfile base, TrainingSet training, TrainingSet validation) {
    Component[] cs = Component.values();
    List<String> names = new ArrayList<>();
    for (Component c : cs) {
      names.add(c.key());
    }
    LogisticModel fit =
        LogisticRegression.fitColumns(
            names,
            components(training, base),
            training.churned(),
            LogisticRegression.DEFAULT_LAMBDA);
    Map<String, Double> perPoint = new java.util.LinkedHashMap<>();
    double[] raw = new double[cs.length];
    double total = 0;
    for (int j = 0; j < fit.features().size(); j++) {
      double b = fit.coefficients()[j] / fit.sds()[j];
      perPoint.put(fit.features().get(j), b);
      int c = names.indexOf(fit.features().get(j));
      raw[c] = Math.max(0, -b);
      total += raw[c];
    }
    if (total <= 0) {
      return null;
    }
    Map<Component, Integer> proposed = largestRemainder(cs, raw, total);
    Map<String, Integer> proposedByKey = new java.util.LinkedHashMap<>();
    Map<String, Integer> currentByKey = new java.util.LinkedHashMap<>();
    for (Component c : cs) {
      proposedByKey.put(c.key(), proposed.get(c));
      currentByKey.put(c.key(), base.weight(c));
    }
    RankMetrics.Auc currentAuc = null;
    RankMetrics.Auc proposedAuc = null;
    RankMetrics.Comparison diff = null;
    boolean[] v = validation.churned();
    int pos = validation.positives();
    if (pos > 0 && pos < v.length) {
      Map<Component, Integer> currentWeights = new EnumMap<>(Component.class);
      for (Component c : cs) {
        currentWeights.put(c, base.weight(c));
      }
      double[][] components = components(validation, base);
      double[] now = ranker(components, currentWeights);
      double[] next = ranker(components, proposed);
      currentAuc = RankMetrics.auc(now, v);
      proposedAuc = RankMetrics.auc(next, v);
      diff = RankMetrics.compare(next, now, v);
    }
    return new WeightProposal(
        base.name(),
        base.version(),
        proposedByKey,
        currentByKey,
        perPoint,
        currentAuc,
        proposedAuc,
        diff);
  }

  /** The proposal as a profile: the base's settings with the proposed weights (version 0). */
  public WeightProfile applyTo(WeightProfile base) {
    Map<Component, Integer> w = new EnumMap<>(Component.class);
    for (Component c : Component.values()) {
      int v = weights.getOrDefault(c.key(), 0);
      if (v > 0) {
        w.put(c, v);
      }
    }
    return new WeightProfile(
        base.name(),
        0,
        w,
        base.frequencyTarget(),
        base.tenureTargetMonths(),
        base.windowMonths(),
        base.minPresentWeight(),
        base.diehardAt(),
        base.stableAt(),
        base.potentialChurnAt(),
        base.noPurchaseCapDays(),
        base.npsCapBelow(),
        base.npsCapMinResponses(),
        base.margin(),
        base.discountRate());
  }

  /** The six components of every row, by column ({@code [component][row]}). */
  static double[][] components(TrainingSet rows, WeightProfile p) {
    double[][] out = new double[Component.values().length][rows.size()];
    double[] stability = rows.column(STABILITY);
    double[] frequency = rows.column(FREQUENCY);
    double[] nps = rows.column(NPS);
    double[] repurchase = rows.column(REPURCHASE);
    double[] complaintRate = rows.column(COMPLAINT_RATE);
    double[] tenure = rows.column(TENURE);
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < out.length; c++) {
        out[c][i] =
            component(
                c,
                stability[i],
                frequency[i],
                nps[i],
                repurchase[i],
                complaintRate[i],
                tenure[i],
                p);
      }
    }
    return out;
  }

  private static final int STABILITY = ChurnFeatures.index("stability");
  private static final int FREQUENCY = ChurnFeatures.index("frequency");
  private static final int NPS = ChurnFeatures.index("nps");
  private static final int REPURCHASE = ChurnFeatures.index("repurchase");
  private static final int COMPLAINT_RATE = ChurnFeatures.index("complaint_rate");
  private static final int TENURE = ChurnFeatures.index("tenure_months");

  /** Component {@code c} (in {@link Component}'s order) from the features it is made of. */
  private static double component(
      int c,
      double stability,
      double frequency,
      double nps,
      double repurchase,
      double complaintRate,
      double tenure,
      WeightProfile p) {
    return switch (c) {
      case 0 -> repurchase;
      case 1 -> Double.isNaN(stability) ? Double.NaN : 100 * stability;
      case 2 -> Math.min(100, 100 * Math.expm1(frequency) / p.frequencyTarget());
      case 3 -> Double.isNaN(nps) ? Double.NaN : (nps + 100) / 2;
      case 4 -> 100 - complaintRate;
      default -> Math.min(100, 100.0 * tenure / p.tenureTargetMonths());
    };
  }

  /** {@code 100 − score} with these weights (missing components drop out; none: 50). */
  static double[] ranker(List<TrainingRow> rows, WeightProfile p, Map<Component, Integer> w) {
    return ranker(components(TrainingSet.of(rows), p), w);
  }

  /** {@link #ranker} from the rows' components by column. */
  static double[] ranker(double[][] components, Map<Component, Integer> w) {
    Component[] cs = Component.values();
    int[] weights = new int[cs.length];
    for (int j = 0; j < cs.length; j++) {
      weights[j] = w.getOrDefault(cs[j], 0);
    }
    double[] out = new double[components[0].length];
    for (int i = 0; i < out.length; i++) {
      double sum = 0;
      double weight = 0;
      for (int j = 0; j < cs.length; j++) {
        double cj = components[j][i];
        if (weights[j] > 0 && !Double.isNaN(cj)) {
          sum += weights[j] * cj;
          weight += weights[j];
        }
      }
      out[i] = 100 - (weight == 0 ? 50 : sum / weight);
    }
    return out;
  }

  private static Map<Component, Integer> largestRemainder(
      Component[] cs, double[] raw, double total) {
    Map<Component, Integer> out = new EnumMap<>(Component.class);
    double[] rest = new double[cs.length];
    int given = 0;
    for (int j = 0; j < cs.length; j++) {
      double share = 100 * raw[j] / total;
      out.put(cs[j], (int) Math.floor(share));
      rest[j] = share - Math.floor(share);
      given += (int) Math.floor(share);
    }
    while (given < 100) {
      int best = 0;
      for (int j = 1; j < cs.length; j++) {
        if (rest[j] > rest[best]) {
          best = j;
        }
      }
      out.put(cs[best], out.get(cs[best]) + 1);
      rest[best] = -1;
      given++;
    }
    return out;
  }
}
