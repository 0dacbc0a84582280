package io.retain.scoring.prediction.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DOMAIN.md §10.1: the published BG/NBD and Gamma-Gamma numbers on the CDNOW sample (Fader, Hardie
 * &amp; Lee; {@code lifetimes}' documentation), reproduced within 0.1%.
 */
class CdnowPinnedNumbersTest {

  static List<PurchaseHistory> histories;
  static PurchaseModelFit.BgNbdFit bgNbd;
  static PurchaseModelFit.GammaGammaFit gammaGamma;

  @BeforeAll
  static void fit() {
    histories = Cdnow.histories();
    PurchaseData data = PurchaseData.of(histories);
    bgNbd = PurchaseModelFit.bgNbd(data);
    gammaGamma = PurchaseModelFit.gammaGamma(data);
  }

  @Test
  void summarisesAllCustomersAndTheKnownFirstOne() {
    assertThat(histories).hasSize(2357);
    // customer 1 of the published summary: x = 2, tx = 30.43 weeks, T = 38.86 weeks, zbar 22.35
    PurchaseHistory first = histories.get(0);
    assertThat(first.repeatPurchases()).isEqualTo(2);
    assertThat(first.txWeeks()).isCloseTo(30.43, withinPercentage(0.02));
    assertThat(first.ageWeeks()).isCloseTo(38.86, withinPercentage(0.02));
    assertThat(first.meanRepeatSpend()).isCloseTo(22.345, withinPercentage(0.001));
  }

  @Test
  void bgNbdFitReproducesThePublishedParametersAndLogLikelihood() {
    assertThat(bgNbd.converged()).isTrue();
    BgNbd m = bgNbd.model();
    assertThat(m.r()).isCloseTo(0.2426, withinPercentage(0.1));
    assertThat(m.alpha()).isCloseTo(4.4136, withinPercentage(0.1));
    assertThat(m.a()).isCloseTo(0.7929, withinPercentage(0.1));
    assertThat(m.b()).isCloseTo(2.4260, withinPercentage(0.1));
    assertThat(bgNbd.logLikelihood()).isCloseTo(-9582.43, withinPercentage(0.1));
    assertThat(bgNbd.logLikelihood())
        .isCloseTo(-9582.43, org.assertj.core.api.Assertions.within(0.01));
    assertThat(bgNbd.customers()).isEqualTo(2357);
  }

  @Test
  void conditionalExpectationAndPAliveOfThePublishedCustomer() {
    BgNbd m = bgNbd.model();
    assertThat(m.expectedPurchases(39, 2, 30.43, 38.86)).isCloseTo(1.226, withinPercentage(0.1));
    assertThat(m.pAlive(2, 30.43, 38.86)).isCloseTo(0.7266, withinPercentage(0.1));
  }

  @Test
  void gammaGammaFitReproducesThePublishedParameters() {
    assertThat(gammaGamma.converged()).isTrue();
    assertThat(gammaGamma.repeatBuyers()).isEqualTo(946);
    GammaGamma m = gammaGamma.model();
    assertThat(m.p()).isCloseTo(6.2487, withinPercentage(0.1));
    assertThat(m.q()).isCloseTo(3.7446, withinPercentage(0.1));
    assertThat(m.gamma()).isCloseTo(15.4481, withinPercentage(0.1));
  }

  @Test
  void compactSumsEqualThePerCustomerLikelihoods() {
    PurchaseData data = PurchaseData.of(histories);
    BgNbd bg = bgNbd.model();
    GammaGamma gg = gammaGamma.model();
    double bgSum = 0;
    double ggSum = 0;
    for (PurchaseHistory h : histories) {
      bgSum += bg.logLikelihood(h.x(), h.txWeeks(), h.ageWeeks());
      if (h.repeatPurchases() > 0) {
        ggSum += gg.logLikelihood(h.x(), h.meanRepeatSpend());
      }
    }
    assertThat(data.rows()).isLessThan(2357); // equal (x, tx, T) were merged
    assertThat(data.bgNbdLogLikelihood(bg)).isCloseTo(bgSum, withinPercentage(1e-10));
    assertThat(data.gammaGammaLogLikelihood(gg)).isCloseTo(ggSum, withinPercentage(1e-10));
  }
}
