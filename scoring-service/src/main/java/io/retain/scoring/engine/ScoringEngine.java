package io.retain.scoring.engine;

import io.retain.scoring.engine.RiskFactor.Code;
import io.retain.scoring.engine.RiskFactor.Severity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * DOMAIN.md §3–§6 as a pure function: activity aggregates + a profile + asOf (+ the score of at
 * least 30 days before, for SCORE_DECLINE) → an {@link Assessment}. No I/O, no clock.
 */
public final class ScoringEngine {

  private ScoringEngine() {}

  /**
   * Scores one customer.
   *
   * @param previousScore the last stored score at least 30 days older than asOf, or null
   * @param segmentRetention 12-month retention rate of the customer's segment (for CLV)
   */
  public static Assessment assess(
      Activity a, WeightProfile p, LocalDate asOf, Double previousScore, double segmentRetention) {
    int w = p.windowMonths();
    int tenure = (int) ChronoUnit.MONTHS.between(a.since(), asOf);
    int observed = Math.max(1, Math.min(w, tenure + 1));
    List<Integer> buckets = a.ordersByBucket();
    int active = 0;
    for (int i = 0; i < Math.min(observed, buckets.size()); i++) {
      if (buckets.get(i) > 0) {
        active++;
      }
    }
    int orders = a.ordersInWindow();
    double repurchase = 100.0 * active / observed;
    Double stability = null;
    if (a.stabilityOrders() >= 2) {
      double n = a.stabilityOrders();
      double mean = a.stabilityAmountSum() / n;
      double variance = Math.max(0, a.stabilityAmountSumSquares() / n - mean * mean);
      stability = mean > 0 ? Math.max(0, 1 - Math.sqrt(variance) / mean) : 0.0;
    }
    double frequency = orders * 12.0 / observed;
    int responses = a.npsPromoters() + a.npsPassives() + a.npsDetractors();
    Double nps = responses == 0 ? null : 100.0 * (a.npsPromoters() - a.npsDetractors()) / responses;
    double complaintRate =
        orders > 0
            ? Math.min(100, 100.0 * a.complaintsInWindow() / orders)
            : a.complaintsInWindow() > 0 ? 100 : 0;
    // DOMAIN.md §3: with no counted order at all, the days count from joining
    boolean neverOrdered = a.lastOrderDate() == null;
    int daysSince =
        (int) ChronoUnit.DAYS.between(neverOrdered ? a.since() : a.lastOrderDate(), asOf);

    Map<Component, Double> components = new EnumMap<>(Component.class);
    components.put(Component.REPURCHASE, repurchase);
    components.put(Component.STABILITY, stability == null ? null : 100 * stability);
    components.put(Component.FREQUENCY, Math.min(100, 100 * frequency / p.frequencyTarget()));
    components.put(Component.NPS, nps == null ? null : (nps + 100) / 2);
    components.put(Component.COMPLAINT, 100 - complaintRate);
    components.put(Component.TENURE, Math.min(100, 100.0 * tenure / p.tenureTargetMonths()));

    // only the profile's weighted components count; missing ones drop out and weights renormalise
    Map<Component, Double> weighted = new EnumMap<>(Component.class);
    double presentWeight = 0;
    double sum = 0;
    boolean missing = false;
    for (Component c : Component.values()) {
      int wc = p.weight(c);
      if (wc <= 0) {
        continue;
      }
      Double v = components.get(c);
      weighted.put(c, v);
      if (v == null) {
        missing = true;
      } else {
        presentWeight += wc;
        sum += wc * v;
      }
    }
    Map<Component, Double> pointsLost = new EnumMap<>(Component.class);
    Double score = null;
    if (presentWeight > 0
        && presentWeight * 100 >= p.minPresentWeight() * (double) p.totalWeight()) {
      score = round1(sum / presentWeight);
      for (var e : weighted.entrySet()) {
        if (e.getValue() != null) {
          pointsLost.put(
              e.getKey(), round1(p.weight(e.getKey()) * (100 - e.getValue()) / presentWeight));
        }
      }
    }

    TierRule.Decision tier =
        TierRule.of(p).decide(tenure, score, daysSince, neverOrdered, nps, responses);

    RiskInputs inputs =
        new RiskInputs(
            (double) daysSince,
            neverOrdered,
            frequencyDrop(buckets, observed),
            complaintRate,
            nps,
            stability,
            a.meanFirstResponseHours(),
            a.ticketsOpenOver7Days(),
            score == null || previousScore == null ? null : round1(previousScore - score),
            daysSinceManagerChange(a.accountManagerChangedAt(), asOf),
            a.csatResponses() > 0 ? a.csatMean() : null);
    List<RiskFactor> factors = new ArrayList<>(RiskRule.evaluateAll(inputs, pointsLost));
    if (missing) {
      List<String> absent = new ArrayList<>();
      weighted.forEach(
          (c, v) -> {
            if (v == null) {
              absent.add(c.key());
            }
          });
      factors.add(new RiskFactor(Code.INSUFFICIENT_DATA, Severity.LOW, null, null, null, absent));
    }
    factors.sort(RiskRule.BY_SEVERITY_THEN_TABLE);

    double annualised = a.spendInWindow() * 12.0 / observed;
    double m = annualised * p.margin();
    double r = segmentRetention;
    double clv = m * r / (1 + p.discountRate() - r);
    Assessment.Value value =
        new Assessment.Value(a.spendAllTime(), a.spendInWindow(), annualised, clv, r);

    Assessment.Metrics metrics =
        new Assessment.Metrics(
            observed,
            active,
            orders,
            repurchase,
            stability,
            frequency,
            nps,
            responses,
            complaintRate,
            tenure,
            daysSince,
            a.meanFirstResponseHours(),
            a.ticketsOpenOver7Days(),
            a.csatMean());
    return new Assessment(
        a.customerId(),
        asOf,
        p.name(),
        p.version(),
        metrics,
        weighted,
        pointsLost,
        score,
        tier.tier(),
        tier.caps(),
        factors,
        value);
  }

  /**
   * How far orders in buckets 0–2 fell below the baseline rate of buckets 3…observed−1 scaled to 3
   * months, in percent; null without 3 baseline months and 3 baseline orders.
   */
  public static @Nullable Double frequencyDrop(List<Integer> buckets, int observed) {
    int baselineMonths = observed - 3;
    if (baselineMonths < 3) {
      return null;
    }
    int recent = 0;
    int baseline = 0;
    for (int i = 0; i < Math.min(observed, buckets.size()); i++) {
      if (i < 3) {
        recent += buckets.get(i);
      } else {
        baseline += buckets.get(i);
      }
    }
    if (baseline < 3) {
      return null;
    }
    double expected = 3.0 * baseline / baselineMonths;
    return 100 * (1 - recent / expected);
  }

  /** Days since the account manager changed, if that was on or before asOf. */
  static Double daysSinceManagerChange(LocalDate changedAt, LocalDate asOf) {
    return changedAt == null || changedAt.isAfter(asOf)
        ? null
        : (double) ChronoUnit.DAYS.between(changedAt, asOf);
  }

  /** Half-up to one decimal after rounding to six, so float noise never flips a digit. */
  public static double round1(double x) {
    return BigDecimal.valueOf(x)
        .setScale(6, RoundingMode.HALF_UP)
        .setScale(1, RoundingMode.HALF_UP)
        .doubleValue();
  }
}
