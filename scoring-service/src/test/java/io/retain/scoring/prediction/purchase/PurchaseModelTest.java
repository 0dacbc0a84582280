package io.retain.scoring.prediction.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/** Forecasts and CLV in days and months, against mpmath evaluations of the same formulas. */
class PurchaseModelTest {

  /** The published CDNOW parameters (DOMAIN.md §10.1). */
  static final PurchaseModel CDNOW =
      new PurchaseModel(
          new BgNbd(0.2426, 4.4136, 0.7929, 2.4260), new GammaGamma(6.2487, 3.7446, 15.4481));

  /** CDNOW customer 1: purchases on 1997-01-01, 01-18 and 08-02; as of 1997-09-30. */
  static final PurchaseHistory CUSTOMER_1 = new PurchaseHistory(2, 213, 272, 22.345);

  @Test
  void forecastsInDays() {
    var forecast = CDNOW.forecast(CUSTOMER_1, 90);
    assertThat(forecast.pAlive()).isCloseTo(0.7266, withinPercentage(0.05));
    assertThat(forecast.expectedPurchases()).isCloseTo(0.452491835719089, withinPercentage(1e-6));
    assertThat(forecast.expectedAverageSpend())
        .isCloseTo(24.65456931308227, withinPercentage(1e-9));
  }

  @Test
  void aCustomerWithoutRepeatPurchasesGetsThePopulationSpendAndIsAlive() {
    var forecast = CDNOW.forecast(new PurchaseHistory(0, 0, 100, 0), 90);
    assertThat(forecast.pAlive()).isEqualTo(1.0);
    assertThat(forecast.expectedPurchases()).isCloseTo(0.152235916964401, withinPercentage(1e-6));
    assertThat(forecast.expectedAverageSpend())
        .isCloseTo(35.171078652626974, withinPercentage(1e-9));
  }

  @Test
  void clvDiscountsEachMonthsExpectedPurchasesAtItsEnd() {
    // 12 months of 30.4375 days, 1% a month, margin 0.3
    assertThat(CDNOW.clv(CUSTOMER_1, 12, 0.01, 0.3))
        .isCloseTo(10.8893682609682, withinPercentage(1e-6));
  }

  @Test
  void undiscountedClvIsMarginTimesSpendTimesPurchasesOverTheWholeHorizon() {
    double purchasesInAYear = CDNOW.expectedPurchasesWithin(CUSTOMER_1, 365.25);
    assertThat(purchasesInAYear).isCloseTo(1.56310498743614, withinPercentage(1e-6));
    assertThat(CDNOW.clv(CUSTOMER_1, 12, 0, 1))
        .isCloseTo(24.65456931308227 * purchasesInAYear, withinPercentage(1e-9));
  }

  @Test
  void refusesHorizonsAndRatesOutsideTheirRanges() {
    assertThatThrownBy(() -> CDNOW.forecast(CUSTOMER_1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("horizonDays must be > 0, got 0");
    assertThatThrownBy(() -> CDNOW.clv(CUSTOMER_1, 0, 0.01, 0.3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0, 0.01, 0.3");
    assertThatThrownBy(() -> CDNOW.clv(CUSTOMER_1, 12, -0.01, 0.3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("monthlyDiscount ≥ 0");
    assertThatThrownBy(() -> new PurchaseHistory(1, 10, 5, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("need x ≥ 0 and 0 ≤ tx ≤ T, got x=1 tx=10 T=5");
  }
}
