package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training and out-of-time validation on seeded data with a known signal, and degenerate input. */
class ChurnTrainerTest {

  static final ObservationPlan PLAN =
      ObservationPlan.of(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-12-01"), 90);

  @Test
  void learnsAKnownSignalAndRanksAsWellAsTheTrueProbabilities() {
    List<SyntheticChurn.Observation> train = SyntheticChurn.draw(1, 1500, PLAN.training(), 0);
    List<SyntheticChurn.Observation> valid = SyntheticChurn.draw(2, 1500, PLAN.validation(), 0);
    ChurnTrainer.Trained t =
        ChurnTrainer.train(
            PLAN,
            train.stream().map(SyntheticChurn.Observation::row).toList(),
            valid.stream().map(SyntheticChurn.Observation::row).toList());
    ChurnReport r = t.report();

    // the band, computed independently: the AUC of the probabilities the labels were drawn with,
    // counted pair by pair over the same validation rows; a correct fit comes within sampling noise
    double[] truth =
        valid.stream().mapToDouble(SyntheticChurn.Observation::trueProbability).toArray();
    boolean[] y = new boolean[valid.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = valid.get(i).row().churned();
    }
    double bayes = RankMetricsTest.pairShare(truth, y);
    assertThat(bayes).isBetween(0.70, 0.90);
    assertThat(r.auc().value()).isCloseTo(bayes, within(0.02));
    assertThat(r.auc().lower()).isLessThan(r.auc().value());
    assertThat(r.auc().upper()).isGreaterThan(r.auc().value());

    assertThat(r.trainingRows()).isEqualTo(1500 * PLAN.training().size());
    assertThat(r.validationRows()).isEqualTo(1500 * PLAN.validation().size());
    assertThat(r.trainingFrom()).isEqualTo(LocalDate.parse("2025-01-01"));
    assertThat(r.trainingTo()).isEqualTo(LocalDate.parse("2025-07-01"));
    assertThat(r.validationFrom()).isEqualTo(LocalDate.parse("2025-10-01"));
    assertThat(r.calibration()).hasSize(10);
    // calibrated: every decile's observed rate near its mean prediction
    r.calibration()
        .forEach(d -> assertThat(d.observedRate()).isCloseTo(d.meanPredicted(), within(0.06)));
    assertThat(r.topDecileLift()).isGreaterThan(2);
    assertThat(r.brier()).isLessThan(baseRateBrier(y));

    // the signal's features push the right way
    assertThat(weight(r, "days_since_last_order")).isPositive();
    assertThat(weight(r, "complaints")).isPositive();

    // the fixed loyalty formula knows nothing of this hazard's weights: the model beats it
    ChurnReport.Baseline loyalty = r.baselines().get(0);
    assertThat(loyalty.ranker()).isEqualTo("LOYALTY_SCORE");
    assertThat(loyalty.auc().value()).isLessThan(r.auc().value());
    assertThat(loyalty.beaten()).isTrue();
    assertThat(r.baselines()).hasSize(1); // no pAlive on these rows
    assertThat(r.validated()).isTrue();
    assertThat(r.beatsBaselines()).isTrue();
    assertThat(r.verdict())
        .startsWith("Out-of-time AUC 0.")
        .contains("Better than the loyalty score");
  }

  @Test
  void fewerThanFiftyTrainingChurnsIsRefused() {
    // a shift of −6 on the log-odds leaves a handful of churns in 3,000 rows
    List<TrainingRow> rare =
        SyntheticChurn.draw(3, 300, PLAN.training(), -6).stream()
            .map(SyntheticChurn.Observation::row)
            .toList();
    long positives = rare.stream().filter(TrainingRow::churned).count();
    assertThat(positives).isLessThan(50);
    assertThatThrownBy(() -> ChurnTrainer.train(PLAN, rare, rare))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo("TOO_FEW_POSITIVES");
              assertThat(e.field()).isEqualTo("from");
              assertThat(e.expected())
                  .isEqualTo("at least 50 churns among the training observations");
            });
  }

  @Test
  void aValidationSetWithoutChurnGivesAnUnvalidatedModelThatSaysSo() {
    List<TrainingRow> train =
        SyntheticChurn.draw(4, 800, PLAN.training(), 0).stream()
            .map(SyntheticChurn.Observation::row)
            .toList();
    List<TrainingRow> noChurn =
        SyntheticChurn.draw(5, 200, PLAN.validation(), 0).stream()
            .map(o -> o.row())
            .map(
                r ->
                    new TrainingRow(
                        r.customerId(),
                        r.observedAt(),
                        r.features(),
                        false,
                        r.loyaltyScore(),
                        null))
            .toList();
    ChurnReport r = ChurnTrainer.train(PLAN, train, noChurn).report();
    assertThat(r.validated()).isFalse();
    assertThat(r.beatsBaselines()).isFalse();
    assertThat(r.auc()).isNull();
    assertThat(r.calibration()).isEmpty();
    assertThat(r.verdict())
        .isEqualTo(
            "Not validated: the validation observations hold 0 churns among 600 rows, so no AUC"
                + " can be computed. This model cannot be activated.");
  }

  @Test
  void onePAliveBaselineIsComparedWhenRowsCarryPAliveAndRowsWithoutOneRankAtTheMedian() {
    // pAlive here is pure noise: the model (which knows the signal) must beat it as a ranker
    java.util.Random noise = new java.util.Random(7);
    List<TrainingRow> train = SyntheticChurn.rows(6, 800, PLAN.training(), 0);
    List<TrainingRow> valid =
        SyntheticChurn.rows(7, 800, PLAN.validation(), 0).stream()
            .map(
                r ->
                    r.customerId().equals("S0")
                        ? r
                        : r.withPurchase(
                            new ChurnFeatures.PurchaseOutlook(noise.nextDouble(), 1.0)))
            .toList();
    ChurnReport r = ChurnTrainer.train(PLAN, train, valid).report();
    assertThat(r.baselines())
        .extracting(ChurnReport.Baseline::ranker)
        .containsExactly("LOYALTY_SCORE", "ONE_MINUS_P_ALIVE");
    ChurnReport.Baseline dead = r.baselines().get(1);
    assertThat(dead.auc().value()).isBetween(0.4, 0.6); // noise ranks at chance
    assertThat(dead.beaten()).isTrue();
    assertThat(r.verdict()).contains("Better than 1 − pAlive, which ranks with AUC");

    // a row without pAlive ranks as the others' median pAlive would
    double[] ranks = ChurnTrainer.deadRanker(valid);
    double[] known =
        valid.stream()
            .filter(v -> v.pAlive() != null)
            .mapToDouble(TrainingRow::pAlive)
            .sorted()
            .toArray();
    double median = 1 - known[known.length / 2];
    int unknown = 0;
    for (int i = 0; i < valid.size(); i++) {
      if (valid.get(i).pAlive() == null) {
        unknown++;
        assertThat(ranks[i]).isCloseTo(median, within(1e-12));
      }
    }
    assertThat(unknown).isEqualTo(PLAN.validation().size());
  }

  private static double weight(ChurnReport r, String feature) {
    return r.weights().stream()
        .filter(w -> w.feature().equals(feature))
        .findFirst()
        .orElseThrow()
        .coefficient();
  }

  private static double baseRateBrier(boolean[] y) {
    double rate = 0;
    for (boolean b : y) {
      rate += b ? 1 : 0;
    }
    rate /= y.length;
    return rate * (1 - rate);
  }
}
