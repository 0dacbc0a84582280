package io.retain.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.retain.scoring.engine.RiskFactor.Code;
import io.retain.scoring.engine.RiskFactor.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every threshold of DOMAIN.md §5 on both sides of its edge, through the engine from activity
 * aggregates: the comparison ({@code >=}, {@code >}, {@code <}) is the table's, not a copy's.
 */
class RiskRuleEdgesTest {

  @Test
  void theHealthyBaseFiresNothing() {
    Assessment a = Activities.assess(Activities.healthy());
    assertThat(a.riskFactors()).isEmpty();
    assertThat(a.tier()).isEqualTo(Tier.DIEHARD);
  }

  @ParameterizedTest(name = "{0} days since the last order → {1}")
  @CsvSource({"59,,", "60, MEDIUM, 60", "89, MEDIUM, 60", "90, HIGH, 90"})
  void noRecentPurchase(int days, Severity severity, Double threshold) {
    Activity a = Activities.with(b -> b.lastOrderDate = Activities.AS_OF.minusDays(days));
    expect(a, Code.NO_RECENT_PURCHASE, severity, threshold, days);
  }

  @ParameterizedTest(name = "{0} complaints on 10000 orders → {1}")
  @CsvSource({"500,,", "501, MEDIUM, 5", "1500, MEDIUM, 5", "1501, HIGH, 15"})
  void complaintRate(int complaints, Severity severity, Double threshold) {
    Activity a =
        Activities.with(
            b -> {
              b.ordersInWindow = 10_000;
              b.complaintsInWindow = complaints;
            });
    expect(a, Code.HIGH_COMPLAINT_RATE, severity, threshold, complaints / 100.0);
  }

  @ParameterizedTest(name = "promoters − detractors = {0} of 1000 → {1}")
  @CsvSource({"300,,", "299, MEDIUM, 30", "0, MEDIUM, 30", "-1, HIGH, 0"})
  void lowNps(int net, Severity severity, Double threshold) {
    Activity a =
        Activities.with(
            b -> {
              b.npsPromoters = 300 + net;
              b.npsDetractors = 300;
              b.npsPassives = 400 - net;
            });
    expect(a, Code.LOW_NPS, severity, threshold, net / 10.0);
  }

  /** Two orders of mean 1: stability = 1 − σ; the sum of squares is 2·(σ² + 1). */
  @ParameterizedTest(name = "stability {0} → {1}")
  @CsvSource({"0.5,,", "0.4999, LOW, 0.5"})
  void volatileOrderValue(double stability, Severity severity, Double threshold) {
    double sigma = 1 - stability;
    Activity a =
        Activities.with(
            b -> {
              b.stabilityOrders = 2;
              b.stabilityAmountSum = 2;
              b.stabilityAmountSumSquares = 2 * (sigma * sigma + 1);
            });
    expect(a, Code.VOLATILE_ORDER_VALUE, severity, threshold, stability);
  }

  @ParameterizedTest(name = "first response after {0} h → {1}")
  @CsvSource({"48,,", "48.01, MEDIUM, 48"})
  void slowServiceResponse(double hours, Severity severity, Double threshold) {
    Activity a = Activities.with(b -> b.meanFirstResponseHours = hours);
    expect(a, Code.SLOW_SERVICE_RESPONSE, severity, threshold, hours);
  }

  @ParameterizedTest(name = "{0} tickets open 7 days or more → {1}")
  @CsvSource({"0,,", "1, MEDIUM, 1", "2, MEDIUM, 1", "3, HIGH, 3"})
  void unresolvedTickets(int open, Severity severity, Double threshold) {
    Activity a = Activities.with(b -> b.ticketsOpenOver7Days = open);
    expect(a, Code.UNRESOLVED_TICKETS, severity, threshold, open);
  }

  /** 100 baseline orders expected per 3 months (300 over 9); the recent 3 months hold the rest. */
  @ParameterizedTest(name = "{0} orders in the last 3 months against 100 → {1}")
  @CsvSource({"71,,", "70, MEDIUM, 30", "51, MEDIUM, 30", "50, HIGH, 50"})
  void frequencyDrop(int recent, Severity severity, Double threshold) {
    List<Integer> buckets = new ArrayList<>(Collections.nCopies(12, 0));
    buckets.set(0, recent);
    for (int i = 3; i < 12; i++) {
      buckets.set(i, 100 / 3);
    }
    buckets.set(3, 100 / 3 + 300 - 9 * (100 / 3));
    Activity a =
        Activities.with(
            b -> {
              b.ordersByBucket = buckets;
              b.ordersInWindow = recent + 300;
            });
    expect(a, Code.FREQUENCY_DROP, severity, threshold, 100 - recent);
  }

  @ParameterizedTest(name = "CSAT {0} → {1}")
  @CsvSource({"3,,", "2.99, MEDIUM, 3"})
  void lowSatisfaction(double csat, Severity severity, Double threshold) {
    Activity a = Activities.with(b -> b.csatMean = csat);
    expect(a, Code.LOW_SATISFACTION, severity, threshold, csat);
  }

  @Test
  void aCsatMeanWithoutResponsesDoesNotFire() {
    Activity a =
        Activities.with(
            b -> {
              b.csatMean = 1.0;
              b.csatResponses = 0;
            });
    expect(a, Code.LOW_SATISFACTION, null, null, 0);
  }

  @ParameterizedTest(name = "the account manager changed {0} days ago → {1}")
  @CsvSource({"-1,,", "0, MEDIUM, 90", "89, MEDIUM, 90", "90,,"})
  void accountManagerLeft(int daysAgo, Severity severity, Double threshold) {
    Activity a =
        Activities.with(b -> b.accountManagerChangedAt = Activities.AS_OF.minusDays(daysAgo));
    expect(a, Code.ACCOUNT_MANAGER_LEFT, severity, threshold, daysAgo);
  }

  /** The previous score is the current one plus the fall; both have one decimal. */
  @ParameterizedTest(name = "score fell {0} points → {1}")
  @CsvSource({"9.9,,", "10, MEDIUM, 10", "19.9, MEDIUM, 10", "20, HIGH, 20"})
  void scoreDecline(double fell, Severity severity, Double threshold) {
    Activity a =
        Activities.with(
            b -> {
              b.npsPromoters = 0;
              b.npsDetractors = 10;
            });
    double now = Activities.assess(a).score();
    assertThat(now).isEqualTo(75.0);
    Assessment later =
        ScoringEngine.assess(
            a, WeightProfile.defaults(), Activities.AS_OF, ScoringEngine.round1(now + fell), 0.8);
    expect(later, Code.SCORE_DECLINE, severity, threshold, fell);
  }

  private static void expect(
      Activity a, Code code, Severity severity, Double threshold, double value) {
    expect(Activities.assess(a), code, severity, threshold, value);
  }

  private static void expect(
      Assessment got, Code code, Severity severity, Double threshold, double value) {
    List<RiskFactor> fired = got.riskFactors().stream().filter(f -> f.code() == code).toList();
    if (severity == null) {
      assertThat(fired).as(code + " fired").isEmpty();
      return;
    }
    assertThat(fired).hasSize(1);
    RiskFactor f = fired.get(0);
    assertThat(f.severity()).isEqualTo(severity);
    assertThat(f.threshold()).isEqualTo(threshold);
    assertThat(f.value()).isCloseTo(value, within(1e-6));
  }
}
