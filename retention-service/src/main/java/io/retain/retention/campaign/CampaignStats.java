package io.retain.retention.campaign;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Campaign effect statistics (DOMAIN.md §8): proportions compared with the normal approximation, SE
 * = √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂); means with Welch's SE = √(s₁²/n₁ + s₂²/n₂); 95% CI = ±1.96 SE.
 */
public final class CampaignStats {

  /** Two-sided 95% normal quantile. */
  public static final double Z95 = 1.959963984540054;

  private CampaignStats() {}

  /** Difference of proportions x₁/n₁ − x₂/n₂ with its 95% CI. */
  public static Uplift proportions(String metric, int x1, int n1, int x2, int n2) {
    double p1 = n1 == 0 ? 0 : (double) x1 / n1;
    double p2 = n2 == 0 ? 0 : (double) x2 / n2;
    double diff = p1 - p2;
    if (n1 == 0 || n2 == 0) {
      return new Uplift(metric, p1, p2, n1, n2, diff, null, null);
    }
    double se = Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
    return new Uplift(metric, p1, p2, n1, n2, diff, diff - Z95 * se, diff + Z95 * se);
  }

  /** Difference of means with Welch's standard error and its 95% CI. */
  public static Uplift means(String metric, List<Double> a, List<Double> b) {
    double m1 = mean(a);
    double m2 = mean(b);
    double diff = m1 - m2;
    if (a.size() < 2 || b.size() < 2) {
      return new Uplift(metric, m1, m2, a.size(), b.size(), diff, null, null);
    }
    double se = Math.sqrt(variance(a, m1) / a.size() + variance(b, m2) / b.size());
    return new Uplift(metric, m1, m2, a.size(), b.size(), diff, diff - Z95 * se, diff + Z95 * se);
  }

  /**
   * Retention rate, win-back rate (among lapsed), spend, complaint rate (share of customers who
   * complained) and satisfaction (among respondents), group a against group b.
   */
  public static List<Uplift> compare(List<CustomerOutcomeSample> a, List<CustomerOutcomeSample> b) {
    return List.of(
        share("RETENTION_RATE", a, b, s -> true, CustomerOutcomeSample::retained),
        share("WIN_BACK_RATE", a, b, CustomerOutcomeSample::lapsed, CustomerOutcomeSample::wonBack),
        means(
            "SPEND",
            values(a, CustomerOutcomeSample::spend),
            values(b, CustomerOutcomeSample::spend)),
        share("COMPLAINT_RATE", a, b, s -> true, CustomerOutcomeSample::complained),
        means(
            "SATISFACTION",
            values(a, CustomerOutcomeSample::satisfaction),
            values(b, CustomerOutcomeSample::satisfaction)));
  }

  private static Uplift share(
      String metric,
      List<CustomerOutcomeSample> a,
      List<CustomerOutcomeSample> b,
      Predicate<CustomerOutcomeSample> eligible,
      Predicate<CustomerOutcomeSample> success) {
    var ea = a.stream().filter(eligible).toList();
    var eb = b.stream().filter(eligible).toList();
    return proportions(
        metric,
        (int) ea.stream().filter(success).count(),
        ea.size(),
        (int) eb.stream().filter(success).count(),
        eb.size());
  }

  private static List<Double> values(
      List<CustomerOutcomeSample> group, Function<CustomerOutcomeSample, Double> value) {
    return group.stream().map(value).filter(v -> v != null).toList();
  }

  private static double mean(List<Double> xs) {
    return xs.isEmpty() ? 0 : xs.stream().mapToDouble(Double::doubleValue).sum() / xs.size();
  }

  /** Sample variance (n − 1). */
  private static double variance(List<Double> xs, double mean) {
    return xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (xs.size() - 1);
  }
}
