package io.retain.scoring.prediction.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * When spend is too heavy-tailed for Gamma-Gamma (q ≤ 1: infinite mean), the spend model is refused
 * with a reason while BG/NBD still stands; on CDNOW it is not.
 */
class SpendRefusalTest {

  /**
   * CDNOW's purchase timing with each repeat buyer's mean spend drawn from a Pareto tail of index
   * 1/2 (infinite mean), as a few enormous contracts among small orders look.
   */
  static List<PurchaseHistory> heavyTailedSpend() {
    Random rnd = new Random(20);
    List<PurchaseHistory> out = new ArrayList<>();
    for (PurchaseHistory h : Cdnow.histories()) {
      double u = 1 - rnd.nextDouble();
      out.add(
          new PurchaseHistory(
              h.repeatPurchases(),
              h.recencyDays(),
              h.ageDays(),
              h.repeatPurchases() > 0 ? 10 / (u * u) : 0));
    }
    return out;
  }

  @Test
  void infiniteMeanSpendIsRefusedWithItsReasonAndBgNbdIsUnchanged() {
    PurchaseData heavy = PurchaseData.of(heavyTailedSpend());
    var gg = PurchaseModelFit.gammaGamma(heavy);
    assertThat(gg.model().q()).isLessThanOrEqualTo(1);
    var refusal = PurchaseModelService.spendRefusal(gg);
    assertThat(refusal.code()).isEqualTo("NO_FINITE_SPEND");
    assertThat(refusal.message()).startsWith("Gamma-Gamma fitted q = 0.").contains("≤ 1");

    // the timing is CDNOW's, so BG/NBD fits as published, and its forecasts stand without spend
    var bg = PurchaseModelFit.bgNbd(heavy);
    assertThat(bg.model().r()).isCloseTo(0.2426, org.assertj.core.api.Assertions.within(0.0003));
    PurchaseModel alone = new PurchaseModel(bg.model(), null);
    PurchaseHistory h = new PurchaseHistory(2, 213, 272, 50);
    assertThat(alone.forecast(h, 273).pAlive()).isBetween(0.72, 0.73);
    assertThat(alone.forecast(h, 273).expectedAverageSpend()).isNull();
    assertThat(alone.clv(h, 12, 0.01, 0.3)).isNull();
  }

  @Test
  void cdnowsSpendIsNotRefused() {
    assertThat(
            PurchaseModelService.spendRefusal(
                PurchaseModelFit.gammaGamma(PurchaseData.of(Cdnow.histories()))))
        .isNull();
  }
}
