package io.retain.scoring.warning;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.engine.Tier;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.rescoring.StoredScoresTest;
import io.retain.scoring.warning.WarningPolicy.Before;
import io.retain.scoring.warning.WarningPolicy.Warning;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DOMAIN.md §7's warning rules on the worked example's assessments, without a database. */
class WarningPolicyTest {

  static final LocalDate JUNE = LocalDate.parse("2026-06-30");
  static Assessment highRisk;
  static Assessment stable;

  @BeforeAll
  static void workedExample() throws Exception {
    List<Assessment> june =
        StoredScoresTest.workedExample().stream()
            .map(a -> ScoringEngine.assess(a, WeightProfile.defaults(), JUNE, null, 0.8))
            .toList();
    highRisk = june.stream().filter(a -> a.tier() == Tier.HIGH_RISK).findFirst().orElseThrow();
    stable = june.stream().filter(a -> a.tier() == Tier.STABLE).findFirst().orElseThrow();
  }

  static Set<String> high(Assessment a) {
    return a.riskFactors().stream()
        .filter(f -> f.severity() == RiskFactor.Severity.HIGH)
        .map(f -> f.code().name())
        .collect(Collectors.toSet());
  }

  static Before was(String tier, Set<String> high, LocalDate asOf) {
    return new Before(tier, high, 70.0, asOf);
  }

  @Test
  void aFirstAssessmentWarnsOnlyWhenAtRisk() {
    List<Warning> w =
        WarningPolicy.warnings(List.of(highRisk, stable), List.of(Before.NONE, Before.NONE));
    assertThat(w).hasSize(1);
    assertThat(w.get(0).id()).isEqualTo(highRisk.customerId());
    assertThat(w.get(0).reasons()).containsExactly("FIRST_ASSESSMENT_AT_RISK");
    assertThat(w.get(0).fromTier()).isNull();
    assertThat(w.get(0).before()).isNull();
    assertThat(w.get(0).toTier()).isEqualTo("HIGH_RISK");
  }

  @Test
  void aWorseTierWarnsWithTheScoresBeforeAndAfter() {
    Before before = was("STABLE", high(highRisk), JUNE.minusDays(7));
    List<Warning> w = WarningPolicy.warnings(List.of(highRisk), List.of(before));
    assertThat(w)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.reasons()).containsExactly("TIER_WORSENED");
              assertThat(x.fromTier()).isEqualTo("STABLE");
              assertThat(x.before()).isEqualTo(70.0);
              assertThat(x.after()).isEqualTo(highRisk.score());
            });
  }

  @Test
  void aNewHighFactorWarnsEvenInTheSameTier() {
    assertThat(high(highRisk)).isNotEmpty();
    assertThat(WarningPolicy.reasons(highRisk, was("HIGH_RISK", Set.of(), JUNE.minusDays(1))))
        .containsExactly("NEW_HIGH_RISK_FACTOR");
    assertThat(WarningPolicy.reasons(highRisk, was("HIGH_RISK", high(highRisk), JUNE.minusDays(1))))
        .isEmpty();
  }

  @Test
  void betterOrUnjudgedTiersDoNotWarn() {
    assertThat(WarningPolicy.reasons(stable, was("DIEHARD", high(stable), JUNE.minusDays(1))))
        .containsExactly("TIER_WORSENED");
    assertThat(WarningPolicy.reasons(stable, was("HIGH_RISK", high(stable), JUNE.minusDays(1))))
        .isEmpty();
    // from NEW or UNSCORED only a tier at risk is news
    assertThat(WarningPolicy.reasons(stable, was("NEW", high(stable), JUNE.minusDays(1))))
        .isEmpty();
    assertThat(WarningPolicy.reasons(highRisk, was("NEW", high(highRisk), JUNE.minusDays(1))))
        .containsExactly("TIER_WORSENED");
  }

  @Test
  void backfillingAnOlderDateIsHistoryNotNews() {
    Before newer = was("STABLE", Set.of(), JUNE.plusDays(1));
    assertThat(WarningPolicy.warnings(List.of(highRisk), List.of(newer))).isEmpty();
  }
}
