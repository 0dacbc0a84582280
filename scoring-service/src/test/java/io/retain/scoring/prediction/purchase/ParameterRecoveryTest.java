package io.retain.scoring.prediction.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.hipparchus.random.RandomDataGenerator;
import org.junit.jupiter.api.Test;

/** Fits on data simulated from known parameters recover those parameters. */
class ParameterRecoveryTest {

  static final BgNbd TRUE_BG_NBD = new BgNbd(0.6, 8.0, 0.9, 3.0);
  static final GammaGamma TRUE_GAMMA_GAMMA = new GammaGamma(4.0, 5.0, 60.0);

  @Test
  void recoversBgNbdAndGammaGammaParametersFromSimulatedCustomers() {
    List<PurchaseHistory> histories = simulate(30_000, 20260512L);
    PurchaseData data = PurchaseData.of(histories);

    var bg = PurchaseModelFit.bgNbd(data);
    var gg = PurchaseModelFit.gammaGamma(data);

    assertThat(bg.converged()).isTrue();
    assertThat(gg.converged()).isTrue();
    // the maximum found is at least as likely as the truth (else the optimiser stopped short)
    assertThat(bg.logLikelihood()).isGreaterThanOrEqualTo(data.bgNbdLogLikelihood(TRUE_BG_NBD));
    assertThat(gg.logLikelihood())
        .isGreaterThanOrEqualTo(data.gammaGammaLogLikelihood(TRUE_GAMMA_GAMMA));
    // 30,000 customers pin each parameter to within a few percent of the truth
    assertThat(bg.model().r()).isCloseTo(0.6, withinPercentage(10));
    assertThat(bg.model().alpha()).isCloseTo(8.0, withinPercentage(10));
    assertThat(bg.model().a()).isCloseTo(0.9, withinPercentage(15));
    assertThat(bg.model().b()).isCloseTo(3.0, withinPercentage(15));
    assertThat(gg.model().p()).isCloseTo(4.0, withinPercentage(10));
    assertThat(gg.model().q()).isCloseTo(5.0, withinPercentage(15));
    assertThat(gg.model().gamma()).isCloseTo(60.0, withinPercentage(15));
  }

  /**
   * BG/NBD's story, in days: a customer joins between 1 and 3 years before the as-of date with a
   * first purchase; buys at Poisson rate λ ~ Gamma(r, α) per week; after each repeat purchase drops
   * out with probability p ~ Beta(a, b). Each purchase spends Gamma(p_gg, ν) with ν ~ Gamma(q, γ).
   * Purchases on one day merge, as customer-service merges them.
   */
  static List<PurchaseHistory> simulate(int customers, long seed) {
    var random = new RandomDataGenerator(seed);
    List<PurchaseHistory> out = new ArrayList<>(customers);
    for (int c = 0; c < customers; c++) {
      int ageDays = random.nextInt(365, 3 * 365);
      double ratePerDay = random.nextGamma(TRUE_BG_NBD.r(), 1 / TRUE_BG_NBD.alpha()) / 7;
      double dropOut = random.nextBeta(TRUE_BG_NBD.a(), TRUE_BG_NBD.b());
      double nu = random.nextGamma(TRUE_GAMMA_GAMMA.q(), 1 / TRUE_GAMMA_GAMMA.gamma());
      TreeMap<Integer, Double> spendByDay = new TreeMap<>();
      spendByDay.put(0, random.nextGamma(TRUE_GAMMA_GAMMA.p(), 1 / nu));
      double time = 0;
      while (ratePerDay > 0) {
        time += random.nextExponential(1 / ratePerDay);
        if (time > ageDays) {
          break;
        }
        spendByDay.merge((int) time, random.nextGamma(TRUE_GAMMA_GAMMA.p(), 1 / nu), Double::sum);
        if (random.nextUniform(0, 1) < dropOut) {
          break;
        }
      }
      int x = spendByDay.size() - 1;
      double repeat = spendByDay.tailMap(0, false).values().stream().mapToDouble(d -> d).sum();
      out.add(new PurchaseHistory(x, spendByDay.lastKey(), ageDays, x > 0 ? repeat / x : 0));
    }
    return out;
  }
}
