package io.retain.scoring.engine;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * DOMAIN.md §4's tier rule as data: {@code NEW} below the onboarding tenure, then {@code UNSCORED}
 * without a score, then the caps, then the score thresholds (all {@code >=}, on the rounded score).
 * Thresholds and caps come from the weight profile.
 */
public record TierRule(
    int newBelowTenureMonths,
    double diehardAt,
    double stableAt,
    double potentialChurnAt,
    int noPurchaseCapDays,
    double npsCapBelow,
    int npsCapMinResponses) {

  /** Customers this young are onboarding: shown with their score, not judged by thresholds. */
  public static final int NEW_BELOW_TENURE_MONTHS = 3;

  /** Cap names as stored in {@code tierCaps}. */
  public static final String CAP_NO_PURCHASE = "NO_PURCHASE";

  public static final String CAP_LOW_NPS = "LOW_NPS";

  /** The tier and the caps that forced it. */
  public record Decision(Tier tier, List<String> caps) {}

  public static TierRule of(WeightProfile p) {
    return new TierRule(
        NEW_BELOW_TENURE_MONTHS,
        p.diehardAt(),
        p.stableAt(),
        p.potentialChurnAt(),
        p.noPurchaseCapDays(),
        p.npsCapBelow(),
        p.npsCapMinResponses());
  }

  /**
   * Decides the tier.
   *
   * @param neverOrdered no counted order at all: capped whatever the days since joining
   */
  public Decision decide(
      int tenureMonths,
      @Nullable Double score,
      @Nullable Integer daysSinceLastOrder,
      boolean neverOrdered,
      @Nullable Double nps,
      int npsResponses) {
    if (tenureMonths < newBelowTenureMonths) {
      return new Decision(Tier.NEW, List.of());
    }
    if (score == null) {
      return new Decision(Tier.UNSCORED, List.of());
    }
    List<String> caps = new ArrayList<>();
    if (neverOrdered || daysSinceLastOrder == null || daysSinceLastOrder >= noPurchaseCapDays) {
      caps.add(CAP_NO_PURCHASE);
    }
    if (nps != null && npsResponses >= npsCapMinResponses && nps < npsCapBelow) {
      caps.add(CAP_LOW_NPS);
    }
    if (!caps.isEmpty()) {
      return new Decision(Tier.HIGH_RISK, caps);
    }
    Tier tier =
        score >= diehardAt
            ? Tier.DIEHARD
            : score >= stableAt
                ? Tier.STABLE
                : score >= potentialChurnAt ? Tier.POTENTIAL_CHURN : Tier.HIGH_RISK;
    return new Decision(tier, List.of());
  }
}
