package io.retain.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DOMAIN.md §4's tiers: the score thresholds on both sides of each edge, the thresholds a profile
 * sets, the caps (90 days without an order; NPS below 30 from 3 responses, not 2), and NEW and
 * UNSCORED before caps and thresholds.
 */
class TierRuleTest {

  static final TierRule DEFAULTS = TierRule.of(WeightProfile.defaults());

  @ParameterizedTest(name = "score {0} → {1}")
  @CsvSource({
    "0, HIGH_RISK",
    "59.9, HIGH_RISK",
    "60, POTENTIAL_CHURN",
    "74.9, POTENTIAL_CHURN",
    "75, STABLE",
    "89.9, STABLE",
    "90, DIEHARD",
    "100, DIEHARD"
  })
  void scoreThresholds(double score, Tier tier) {
    TierRule.Decision d = DEFAULTS.decide(24, score, 10, false, 50.0, 10);
    assertThat(d.tier()).isEqualTo(tier);
    assertThat(d.caps()).isEmpty();
  }

  @ParameterizedTest(name = "score {0} with a profile's 95/80/65 → {1}")
  @CsvSource({"94.9, STABLE", "95, DIEHARD", "79.9, POTENTIAL_CHURN", "64.9, HIGH_RISK"})
  void thresholdsComeFromTheProfile(double score, Tier tier) {
    WeightProfile d = WeightProfile.defaults();
    WeightProfile p =
        new WeightProfile(
            "strict", 1, d.weights(), 12, 36, 12, 50, 95, 80, 65, 90, 30, 3, 0.3, 0.1);
    assertThat(TierRule.of(p).decide(24, score, 10, false, 50.0, 10).tier()).isEqualTo(tier);
  }

  @ParameterizedTest(name = "{0} days since the last order → caps {1}")
  @CsvSource({"89, ''", "90, NO_PURCHASE"})
  void noPurchaseCap(int days, String caps) {
    TierRule.Decision d = DEFAULTS.decide(24, 95.0, days, false, 50.0, 10);
    assertThat(d.caps()).isEqualTo(caps.isEmpty() ? List.of() : List.of(caps));
    assertThat(d.tier()).isEqualTo(caps.isEmpty() ? Tier.DIEHARD : Tier.HIGH_RISK);
  }

  @ParameterizedTest(name = "NPS {0} from {1} responses → caps {2}")
  @CsvSource({"29.9, 3, LOW_NPS", "29.9, 2, ''", "30, 3, ''", "-100, 2, ''"})
  void lowNpsCapNeedsThreeResponses(double nps, int responses, String caps) {
    TierRule.Decision d = DEFAULTS.decide(24, 95.0, 10, false, nps, responses);
    assertThat(d.caps()).isEqualTo(caps.isEmpty() ? List.of() : List.of(caps));
    assertThat(d.tier()).isEqualTo(caps.isEmpty() ? Tier.DIEHARD : Tier.HIGH_RISK);
  }

  @Test
  void bothCapsAreNamed() {
    TierRule.Decision d = DEFAULTS.decide(24, 95.0, 120, false, 0.0, 3);
    assertThat(d.tier()).isEqualTo(Tier.HIGH_RISK);
    assertThat(d.caps()).containsExactly("NO_PURCHASE", "LOW_NPS");
  }

  @ParameterizedTest(name = "tenure {0} months → {1}")
  @CsvSource({"2, NEW", "3, HIGH_RISK"})
  void newTakesPrecedenceOverCaps(int tenure, Tier tier) {
    assertThat(DEFAULTS.decide(tenure, 95.0, 200, false, -100.0, 5).tier()).isEqualTo(tier);
  }

  @Test
  void unscoredTakesPrecedenceOverCaps() {
    TierRule.Decision d = DEFAULTS.decide(24, null, 200, false, -100.0, 5);
    assertThat(d.tier()).isEqualTo(Tier.UNSCORED);
    assertThat(d.caps()).isEmpty();
  }

  /** The caps through the engine, from activity aggregates. */
  @ParameterizedTest(name = "{0} days, NPS from {1} detractor(s) of {2} responses → {3}")
  @CsvSource({
    "89, 0, 10, DIEHARD, ''",
    "90, 0, 10, HIGH_RISK, NO_PURCHASE",
    "10, 3, 3, HIGH_RISK, LOW_NPS",
    "10, 2, 2, STABLE, ''"
  })
  void capsThroughTheEngine(int days, int detractors, int responses, Tier tier, String caps) {
    Activity a =
        Activities.with(
            b -> {
              b.lastOrderDate = Activities.AS_OF.minusDays(days);
              b.npsDetractors = detractors;
              b.npsPromoters = responses - detractors;
            });
    Assessment got = Activities.assess(a);
    assertThat(got.tier()).isEqualTo(tier);
    assertThat(got.tierCaps()).isEqualTo(caps.isEmpty() ? List.of() : List.of(caps));
  }
}
