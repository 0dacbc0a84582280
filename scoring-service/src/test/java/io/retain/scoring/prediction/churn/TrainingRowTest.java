package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.WeightProfile;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who is observed at t, what the label is, and that nothing dated at or after t moves a feature.
 */
class TrainingRowTest {

  static final LocalDate T = LocalDate.parse("2025-06-01");
  static final WeightProfile DEFAULT = WeightProfile.defaults();

  static Activity activity(String status, LocalDate since) {
    LocalDate d = ChurnFeatures.dataDate(T);
    return new Activity(
        "C1",
        since,
        "INDIVIDUAL",
        "RETAIL",
        "MAJOR",
        "EAST",
        status,
        null,
        4,
        List.of(1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0),
        400,
        42_000,
        4,
        400,
        42_000,
        d.minusDays(20),
        since,
        9,
        900,
        400,
        1,
        2,
        30.0,
        0,
        1,
        0,
        1,
        3.0,
        1,
        9);
  }

  static Optional<TrainingRow> row(Activity a, ChurnEvent churn) {
    return TrainingRow.of(a, T, 90, churn, DEFAULT, null);
  }

  @Test
  void theLabelIsAChurnDatedAfterTAndWithinTheHorizon() {
    Activity a = activity("ACTIVE", T.minusYears(2));
    assertThat(row(a, null).orElseThrow().churned()).isFalse();
    assertThat(row(a, new ChurnEvent("C1", T.plusDays(1), null)).orElseThrow().churned()).isTrue();
    assertThat(row(a, new ChurnEvent("C1", T.plusDays(90), null)).orElseThrow().churned()).isTrue();
    assertThat(row(a, new ChurnEvent("C1", T.plusDays(91), null)).orElseThrow().churned())
        .isFalse();
  }

  @Test
  void onlyCustomersActiveAtTAreObserved() {
    Activity a = activity("ACTIVE", T.minusYears(2));
    // churned on t itself or before, not won back: gone
    assertThat(row(a, new ChurnEvent("C1", T, null))).isEmpty();
    assertThat(row(a, new ChurnEvent("C1", T.minusDays(40), T.plusDays(5)))).isEmpty();
    // won back on or before t: active again, and its old churn is no label
    TrainingRow back = row(a, new ChurnEvent("C1", T.minusDays(40), T)).orElseThrow();
    assertThat(back.churned()).isFalse();
    // joined on t: no data before t
    assertThat(row(activity("ACTIVE", T), null)).isEmpty();
    assertThat(row(activity("ACTIVE", T.minusDays(1)), null)).isPresent();
  }

  @Test
  void todaysStatusAndLaterChurnRecordsChangeNoFeature() {
    // customer-service's aggregates as of t − 1 carry the customer's status of today; a customer
    // who churned later reads CHURNED. The features must be the same as when it was still active.
    TrainingRow before = row(activity("ACTIVE", T.minusYears(2)), null).orElseThrow();
    TrainingRow after =
        row(activity("CHURNED", T.minusYears(2)), new ChurnEvent("C1", T.plusDays(200), null))
            .orElseThrow();
    assertThat(after.features()).containsExactly(before.features());
    assertThat(after.loyaltyScore()).isEqualTo(before.loyaltyScore());
  }

  @Test
  void featuresAreTheMetricsAsOfTheDayBeforeT() {
    TrainingRow r = row(activity("ACTIVE", T.minusYears(2)), null).orElseThrow();
    double[] x = r.features();
    assertThat(x).hasSize(ChurnFeatures.NAMES.size());
    // last order 20 days before t − 1: 21 days before t, 20 as of the data date
    assertThat(x[ChurnFeatures.index("days_since_last_order")]).isEqualTo(Math.log1p(20));
    assertThat(x[ChurnFeatures.index("tenure_months")]).isEqualTo(23);
    assertThat(x[ChurnFeatures.index("nps")]).isEqualTo(0.0); // one promoter, one detractor
    assertThat(x[ChurnFeatures.index("nps_missing")]).isZero();
    assertThat(x[ChurnFeatures.index("value_tier_major")]).isEqualTo(1);
    assertThat(x[ChurnFeatures.index("p_alive")]).isNaN();
    assertThat(r.pAlive()).isNull();
    TrainingRow withPurchase =
        TrainingRow.of(
                activity("ACTIVE", T.minusYears(2)),
                T,
                90,
                null,
                DEFAULT,
                new ChurnFeatures.PurchaseOutlook(0.8, 1.5))
            .orElseThrow();
    assertThat(withPurchase.features()[ChurnFeatures.index("p_alive")]).isEqualTo(0.8);
    assertThat(withPurchase.pAlive()).isEqualTo(0.8);
  }
}
