package io.retain.scoring.warning;

import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.engine.Tier;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * When a new assessment raises an early warning (DOMAIN.md §7): a worse tier, a new HIGH risk
 * factor, or a first assessment at risk. Pure: what was stored before comes in, warnings go out.
 */
public final class WarningPolicy {

  private WarningPolicy() {}

  /**
   * The latest stored assessment before this one: tier (null when there is none), HIGH codes, score
   * and date.
   */
  public record Before(
      @Nullable String tier,
      Set<String> highCodes,
      @Nullable Double score,
      @Nullable LocalDate asOf) {

    /** No stored assessment. */
    public static final Before NONE = new Before(null, Set.of(), null, null);
  }

  /** A warning to store for a customer. */
  public record Warning(
      String id,
      @Nullable String fromTier,
      String toTier,
      @Nullable Double before,
      @Nullable Double after,
      List<String> reasons,
      List<RiskFactor> factors) {}

  /**
   * Why {@code now} warns, given what was stored before (null: a first assessment); may be empty.
   */
  public static List<String> reasons(Assessment now, @Nullable Before before) {
    List<String> reasons = new ArrayList<>();
    Set<String> high =
        now.riskFactors().stream()
            .filter(f -> f.severity() == RiskFactor.Severity.HIGH)
            .map(f -> f.code().name())
            .collect(Collectors.toSet());
    if (before == null || before.tier() == null) {
      if (now.tier().atRisk()) {
        reasons.add("FIRST_ASSESSMENT_AT_RISK");
      }
      return reasons;
    }
    Tier prev = Tier.valueOf(before.tier());
    if (now.tier().rank >= 0
        && (prev.rank < 0 ? now.tier().atRisk() : now.tier().rank > prev.rank)) {
      reasons.add("TIER_WORSENED");
    }
    if (!before.highCodes().containsAll(high)) {
      reasons.add("NEW_HIGH_RISK_FACTOR");
    }
    return reasons;
  }

  /**
   * The warnings of a batch: {@code before} holds what was stored for each assessment, in the same
   * order. Backfilling a date older than the stored one is history, not news: no warning.
   */
  public static List<Warning> warnings(List<Assessment> scored, List<Before> before) {
    List<Warning> rows = new ArrayList<>();
    for (int i = 0; i < scored.size(); i++) {
      Assessment a = scored.get(i);
      Before stored = before.get(i);
      if (stored.asOf() != null && stored.asOf().isAfter(a.asOf())) {
        continue;
      }
      List<String> reasons = reasons(a, stored);
      if (!reasons.isEmpty()) {
        boolean first = stored.tier() == null;
        rows.add(
            new Warning(
                a.customerId(),
                first ? null : stored.tier(),
                a.tier().name(),
                first ? null : stored.score(),
                a.score(),
                reasons,
                a.riskFactors()));
      }
    }
    return rows;
  }
}
