package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.engine.Component;
import io.retain.scoring.engine.WeightProfile;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Weights learned from churn: the proposal, its out-of-time AUC next to the current profile's. */
class WeightProposalTest {

  static final ObservationPlan PLAN =
      ObservationPlan.of(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-12-01"), 90);

  @Test
  void proposesWeightsFromTheComponentsThatProtectAndRanksAtLeastAsWellAsTheDefault() {
    // the synthetic hazard rises with complaints and detractors and falls with promoters: the
    // complaint and nps components protect; tenure and stability carry no signal
    List<TrainingRow> train =
        SyntheticChurn.draw(21, 1500, PLAN.training(), 0).stream()
            .map(SyntheticChurn.Observation::row)
            .toList();
    List<TrainingRow> valid =
        SyntheticChurn.draw(22, 1500, PLAN.validation(), 0).stream()
            .map(SyntheticChurn.Observation::row)
            .toList();
    WeightProposal w = WeightProposal.of(WeightProfile.defaults(), train, valid);

    assertThat(w.weights().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
    assertThat(w.weights().values()).allMatch(v -> v >= 0);
    assertThat(w.weights().get("nps")).isGreaterThan(10);
    assertThat(w.weights().get("complaint")).isGreaterThan(10);
    assertThat(w.coefficients().get("nps")).isNegative();
    assertThat(w.coefficients().get("complaint")).isNegative();
    assertThat(w.current())
        .containsEntry("repurchase", 30)
        .containsEntry("nps", 25)
        .containsEntry("tenure", 0);
    // judged on the same validation rows as the current profile, by the paired test
    assertThat(w.proposedAuc().value()).isGreaterThan(w.currentAuc().value());
    assertThat(w.proposedMinusCurrent().difference())
        .isEqualTo(
            w.proposedAuc().value() - w.currentAuc().value(),
            org.assertj.core.api.Assertions.within(1e-12));
    assertThat(w.proposedMinusCurrent().p()).isLessThan(0.05);
  }

  @Test
  void theCurrentProfilesRankerIsItsScore() {
    List<TrainingRow> rows =
        SyntheticChurn.draw(23, 50, PLAN.validation(), 0).stream()
            .map(SyntheticChurn.Observation::row)
            .toList();
    WeightProfile p = WeightProfile.defaults();
    java.util.Map<Component, Integer> current = new java.util.EnumMap<>(Component.class);
    for (Component c : Component.values()) {
      current.put(c, p.weight(c));
    }
    double[] ranker = WeightProposal.ranker(rows, p, current);
    for (int i = 0; i < rows.size(); i++) {
      // every synthetic row is scored (components present): 100 − its loyalty score, unrounded
      assertThat(ranker[i])
          .isCloseTo(
              100 - rows.get(i).loyaltyScore(), org.assertj.core.api.Assertions.within(0.05));
    }
  }

  @Test
  void appliedToAProfileItKeepsItsSettingsAndDropsZeroWeights() {
    WeightProposal w =
        new WeightProposal(
            "default",
            1,
            java.util.Map.of(
                "repurchase",
                40,
                "stability",
                0,
                "frequency",
                10,
                "nps",
                30,
                "complaint",
                20,
                "tenure",
                0),
            java.util.Map.of(),
            java.util.Map.of(),
            null,
            null,
            null);
    WeightProfile base = WeightProfile.industrialEquipment();
    WeightProfile next = w.applyTo(base);
    assertThat(next.weights())
        .containsOnlyKeys(
            Component.REPURCHASE, Component.FREQUENCY, Component.NPS, Component.COMPLAINT)
        .containsEntry(Component.NPS, 30);
    assertThat(next.name()).isEqualTo("industrial-equipment");
    assertThat(next.tenureTargetMonths()).isEqualTo(base.tenureTargetMonths());
    assertThat(next.diehardAt()).isEqualTo(base.diehardAt());
  }
}
