package io.retain.scoring.engine;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The result of scoring one customer as of a date with one profile version: metrics, components,
 * points lost, score, tier, caps and risk factors, and value.
 */
public record Assessment(
    String customerId,
    LocalDate asOf,
    String profileName,
    int profileVersion,
    Metrics metrics,
    Map<Component, Double> components,
    Map<Component, Double> pointsLost,
    Double score,
    Tier tier,
    List<String> tierCaps,
    List<RiskFactor> riskFactors,
    Value value) {

  /** Raw metrics (DOMAIN.md §3); null where the data cannot give one. */
  public record Metrics(
      int observedMonths,
      int activeMonths,
      int ordersInWindow,
      double repurchaseRate,
      Double orderValueStability,
      double purchaseFrequency,
      Double nps,
      int npsResponses,
      double complaintRate,
      int tenureMonths,
      Integer daysSinceLastOrder,
      Double meanFirstResponseHours,
      int openTickets,
      Double csatMean) {}

  /** Customer value (DOMAIN.md §6). */
  public record Value(
      double spendAllTime,
      double spendInWindow,
      double annualisedSpend,
      double clv,
      double retentionRate) {}
}
