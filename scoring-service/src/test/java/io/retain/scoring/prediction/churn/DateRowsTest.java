package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.prediction.purchase.PurchaseHistory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rows stored by column ({@link DateRows} into a {@link TrainingSet}) train exactly the model the
 * per-row form ({@link TrainingRow} lists, BG/NBD filled by {@link TrainingRow#withPurchase})
 * trains: same coefficients bit for bit, same report.
 */
class DateRowsTest {

  static final ObservationPlan PLAN = PredictionBenchmark.PLAN;

  @Test
  void columnsTrainTheSameModelAsRows() {
    int n = 2000;
    ChurnDataStub pop = ChurnDataStub.population(n, 20);
    WeightProfile profile = WeightProfile.defaults();
    List<TrainingRow> training = new ArrayList<>();
    List<TrainingRow> validation = new ArrayList<>();
    List<PurchaseFeatures.Fit> fits = new ArrayList<>();
    TrainingSet.Builder trainingColumns = new TrainingSet.Builder();
    TrainingSet.Builder validationColumns = new TrainingSet.Builder();
    List<PurchaseFeatures.Fit> columnFits = new ArrayList<>();
    for (LocalDate t : PLAN.all()) {
      LocalDate d = ChurnFeatures.dataDate(t);
      boolean trains = PLAN.training().contains(t);
      DateRows columns =
          new DateRows(t, PLAN.horizonDays(), trains ? trainingColumns : validationColumns);
      List<TrainingRow> rows = new ArrayList<>();
      List<PurchaseHistory> histories = new ArrayList<>();
      List<PurchaseHistory> buyers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Activity a = pop.activity(i, d);
        ChurnEvent churn =
            pop.churnedAt[i] == null
                ? null
                : new ChurnEvent(a.customerId(), pop.churnedAt[i], null);
        columns.add(a, churn, profile);
        PurchaseHistory h = PurchaseFeatures.history(a, d);
        if (h != null) {
          buyers.add(h);
        }
        var row = TrainingRow.of(a, t, PLAN.horizonDays(), churn, profile, null);
        if (row.isPresent()) {
          rows.add(row.get());
          histories.add(h);
        }
      }
      PurchaseFeatures.Fit fit = PurchaseFeatures.fit(t, buyers, t.toEpochDay());
      fits.add(fit);
      columnFits.add(columns.finish());
      for (int i = 0; i < rows.size(); i++) {
        (trains ? training : validation)
            .add(
                rows.get(i)
                    .withPurchase(
                        PurchaseFeatures.outlook(fit, histories.get(i), PLAN.horizonDays())));
      }
    }
    TrainingSet trainingSet = trainingColumns.build();
    TrainingSet validationSet = validationColumns.build();
    assertThat(trainingSet.size()).isEqualTo(training.size()).isGreaterThan(10_000);
    assertThat(validationSet.size()).isEqualTo(validation.size());
    assertThat(columnFits).isEqualTo(fits).doesNotContainNull();

    ChurnTrainer.Trained byRows =
        ChurnTrainer.train(
            PLAN, training, validation, LogisticRegression.DEFAULT_LAMBDA, profile, fits);
    ChurnTrainer.Trained byColumns =
        ChurnTrainer.train(
            PLAN,
            trainingSet,
            validationSet,
            LogisticRegression.DEFAULT_LAMBDA,
            profile,
            columnFits);

    assertThat(byColumns.model().features()).isEqualTo(byRows.model().features());
    assertThat(byColumns.model().coefficients()).containsExactly(byRows.model().coefficients());
    assertThat(byColumns.model().intercept()).isEqualTo(byRows.model().intercept());
    assertThat(byColumns.model().means()).containsExactly(byRows.model().means());
    assertThat(byColumns.model().sds()).containsExactly(byRows.model().sds());
    assertThat(byColumns.report()).isEqualTo(byRows.report());
    assertThat(byColumns.report().auc()).isNotNull();
  }
}
