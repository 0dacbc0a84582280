package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.prediction.purchase.BgNbd;
import io.retain.scoring.prediction.purchase.PurchaseHistory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The churn classifier's BG/NBD features: the summary is read from the aggregates as of the day
 * before the observation date, the fit is per date on a seeded sample, and the outlook is BG/NBD's.
 */
class PurchaseFeaturesTest {

  static final LocalDate T = TrainingRowTest.T;

  @Test
  void theSummaryIsCutAtTheDataDate() {
    LocalDate d = ChurnFeatures.dataDate(T);
    Activity a = TrainingRowTest.activity("ACTIVE", T.minusYears(2)); // 9 purchase days
    PurchaseHistory h = PurchaseFeatures.history(a, d);
    assertThat(h.repeatPurchases()).isEqualTo(8);
    assertThat(h.recencyDays())
        .isEqualTo((int) (d.minusDays(20).toEpochDay() - T.minusYears(2).toEpochDay()));
    assertThat(h.ageDays()).isEqualTo((int) (d.toEpochDay() - T.minusYears(2).toEpochDay()));
    // never bought: no summary, so no outlook and the features stay missing
    Activity never = withPurchaseDays(a, 0);
    assertThat(PurchaseFeatures.history(never, d)).isNull();
    assertThat(PurchaseFeatures.outlook(fitted(), null, 90)).isNull();
  }

  @Test
  void theOutlookIsBgNbdsPAliveAndExpectedPurchasesOverTheHorizon() {
    PurchaseFeatures.Fit fit = fitted();
    PurchaseHistory h =
        new PurchaseHistory(2, 213, 272, 1); // 30.43 / 38.86 weeks, CDNOW's customer
    ChurnFeatures.PurchaseOutlook o = PurchaseFeatures.outlook(fit, h, 273);
    BgNbd m = new BgNbd(fit.r(), fit.alpha(), fit.a(), fit.b());
    assertThat(o.pAlive()).isEqualTo(m.pAlive(2, 213 / 7.0, 272 / 7.0));
    assertThat(o.expectedPurchases()).isEqualTo(m.expectedPurchases(39, 2, 213 / 7.0, 272 / 7.0));
    double[] f = new double[ChurnFeatures.NAMES.size()];
    ChurnFeatures.setPurchase(f, o);
    assertThat(f[ChurnFeatures.index("p_alive")]).isEqualTo(o.pAlive());
    assertThat(f[ChurnFeatures.index("expected_purchases")])
        .isEqualTo(Math.log1p(o.expectedPurchases()));
  }

  @Test
  void aLargePopulationIsFittedOnASeededSampleThatLandsNearTheFullFit() {
    List<PurchaseHistory> population = simulate(PurchaseFeatures.SAMPLE + 10_000, 11);
    PurchaseFeatures.Fit sampled = PurchaseFeatures.fit(T, population, 5);
    assertThat(sampled.converged()).isTrue();
    assertThat(sampled.fittedOn()).isEqualTo(PurchaseFeatures.SAMPLE);
    assertThat(sampled.buyers()).isEqualTo(population.size());
    // the same seed draws the same sample
    assertThat(PurchaseFeatures.fit(T, population, 5)).isEqualTo(sampled);
    PurchaseFeatures.Fit small = PurchaseFeatures.fit(T, population.subList(0, 2_000), 5);
    assertThat(small.fittedOn()).isEqualTo(2_000);
    // a sample of 50,000 pins r and α to within a few percent of the truth (0.6, 8.0)
    assertThat(sampled.r()).isCloseTo(0.6, within(0.06));
    assertThat(sampled.alpha()).isCloseTo(8.0, within(0.8));
    assertThat(PurchaseFeatures.fit(T, List.of(), 5)).isNull();
  }

  static PurchaseFeatures.Fit fitted() {
    return PurchaseFeatures.fit(T, simulate(3_000, 3), 1);
  }

  /** BG/NBD's story with r 0.6, α 8 (weeks), a 0.9, b 3; ages 1 to 3 years, whole days. */
  static List<PurchaseHistory> simulate(int n, long seed) {
    Random rnd = new Random(seed);
    var gen = new org.hipparchus.random.RandomDataGenerator(seed);
    List<PurchaseHistory> out = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      int age = 365 + rnd.nextInt(730);
      double ratePerDay = gen.nextGamma(0.6, 1 / 8.0) / 7;
      double dropOut = gen.nextBeta(0.9, 3.0);
      java.util.TreeSet<Integer> days = new java.util.TreeSet<>(List.of(0));
      double time = 0;
      while (ratePerDay > 0) {
        time += gen.nextExponential(1 / ratePerDay);
        if (time > age) {
          break;
        }
        days.add((int) time);
        if (rnd.nextDouble() < dropOut) {
          break;
        }
      }
      out.add(new PurchaseHistory(days.size() - 1, days.last(), age, 1));
    }
    return out;
  }

  private static Activity withPurchaseDays(Activity a, int days) {
    return new Activity(
        a.customerId(),
        a.since(),
        a.kind(),
        a.industry(),
        a.valueTier(),
        a.region(),
        a.status(),
        a.accountManagerChangedAt(),
        a.ordersInWindow(),
        a.ordersByBucket(),
        a.amountSum(),
        a.amountSumSquares(),
        a.stabilityOrders(),
        a.stabilityAmountSum(),
        a.stabilityAmountSumSquares(),
        a.lastOrderDate(),
        a.firstOrderDate(),
        a.ordersAllTime(),
        a.spendAllTime(),
        a.spendInWindow(),
        a.complaintsInWindow(),
        a.ticketsInWindow(),
        a.meanFirstResponseHours(),
        a.ticketsOpenOver7Days(),
        a.npsPromoters(),
        a.npsPassives(),
        a.npsDetractors(),
        a.csatMean(),
        a.csatResponses(),
        days);
  }
}
