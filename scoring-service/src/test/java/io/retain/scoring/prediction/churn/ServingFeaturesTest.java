package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.engine.WeightProfile;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Rescoring predicts from the assessment it already made (with the customer's previous score); the
 * features must be exactly those training computes, which score afresh without one.
 */
class ServingFeaturesTest {

  @Test
  void rescoringsAssessmentGivesTheTrainingFeatures() {
    ChurnDataStub pop = ChurnDataStub.population(200, 3);
    LocalDate d = LocalDate.parse("2026-03-31");
    WeightProfile profile = WeightProfile.defaults();
    ChurnFeatures.PurchaseOutlook o = new ChurnFeatures.PurchaseOutlook(0.7, 2.0);
    for (int i = 0; i < 200; i++) {
      Activity a = pop.activity(i, d);
      ChurnFeatures.Observed training = ChurnFeatures.observe(a, profile, d, o);
      // a much higher previous score: it raises a score-drop risk factor, nothing else
      var rescored = ScoringEngine.assess(a, profile, d, 99.0, ChurnFeatures.DEFAULT_RETENTION);
      ChurnFeatures.Observed serving = ChurnFeatures.observe(a, rescored, d, o);
      assertThat(serving.features()).containsExactly(training.features());
      assertThat(serving.loyaltyScore()).isEqualTo(training.loyaltyScore());
      assertThat(serving.clv()).isEqualTo(training.clv());
    }
  }
}
