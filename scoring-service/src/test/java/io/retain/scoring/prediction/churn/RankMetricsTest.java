package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** AUC, DeLong variance and comparison, Brier, calibration and lift against direct computations. */
class RankMetricsTest {

  @Test
  void aucEqualsTheShareOfCorrectlyOrderedPairsWithTiesHalf() {
    Random rnd = new Random(7);
    int n = 600;
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextDouble() < 0.3;
      // coarse scores: many ties
      s[i] = Math.round((y[i] ? 0.6 : 0) + rnd.nextGaussian()) / 1.0;
    }
    assertThat(RankMetrics.auc(s, y).value()).isCloseTo(pairShare(s, y), within(1e-12));
  }

  @Test
  void delongVarianceEqualsTheStructuralComponentsComputedPairByPair() {
    Random rnd = new Random(11);
    int n = 300;
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextDouble() < 0.4;
      s[i] = Math.round(((y[i] ? 0.8 : 0) + rnd.nextGaussian()) * 4) / 4.0;
    }
    double[][] direct = directV(s, y);
    double var = sampleVar(direct[0]) / direct[0].length + sampleVar(direct[1]) / direct[1].length;
    assertThat(RankMetrics.auc(s, y).standardError()).isCloseTo(Math.sqrt(var), within(1e-12));
  }

  @Test
  void aucOfAUnitShiftBetweenGaussiansLandsOnItsTheoreticalValue() {
    // positives N(1, 1), negatives N(0, 1): AUC = Φ(1/√2) = 0.76025
    Random rnd = new Random(3);
    int n = 8000;
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2 == 0;
      s[i] = (y[i] ? 1 : 0) + rnd.nextGaussian();
    }
    RankMetrics.Auc auc = RankMetrics.auc(s, y);
    assertThat(auc.value()).isCloseTo(0.76025, within(3 * auc.standardError()));
    assertThat(auc.lower()).isLessThan(0.76025);
    assertThat(auc.upper()).isGreaterThan(0.76025);
    // the textbook (Hanley-McNeil) standard error for this size is about 0.0053
    assertThat(auc.standardError()).isBetween(0.004, 0.007);
  }

  @Test
  void aRankerComparedWithItselfDiffersByNothing() {
    double[] s = {0.1, 0.4, 0.35, 0.8, 0.2, 0.9};
    boolean[] y = {false, false, true, true, false, true};
    RankMetrics.Comparison c = RankMetrics.compare(s, s, y);
    assertThat(c.difference()).isZero();
    assertThat(c.p()).isEqualTo(1.0);
  }

  @Test
  void aSharperRankerBeatsANoisyCopyOfItselfSignificantly() {
    Random rnd = new Random(5);
    int n = 4000;
    double[] sharp = new double[n];
    double[] noisy = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextDouble() < 0.2;
      sharp[i] = (y[i] ? 1.2 : 0) + rnd.nextGaussian();
      noisy[i] = sharp[i] + 1.5 * rnd.nextGaussian();
    }
    RankMetrics.Comparison c = RankMetrics.compare(sharp, noisy, y);
    double expected = RankMetrics.auc(sharp, y).value() - RankMetrics.auc(noisy, y).value();
    assertThat(c.difference()).isCloseTo(expected, within(1e-12)).isGreaterThan(0.05);
    assertThat(c.p()).isLessThan(1e-6);
    assertThat(RankMetrics.compare(noisy, sharp, y).z()).isCloseTo(-c.z(), within(1e-9));
  }

  @Test
  void erfcGivesTheNormalTailsUsedForPValues() {
    assertThat(RankMetrics.erfc(1)).isCloseTo(0.157299207, within(1e-7));
    assertThat(RankMetrics.erfc(1.959964 / Math.sqrt(2))).isCloseTo(0.05, within(1e-6));
    assertThat(RankMetrics.erfc(-1)).isCloseTo(1.842700793, within(1e-7));
  }

  @Test
  void brierIsTheMeanSquaredError() {
    double[] p = {0.9, 0.2, 0.5, 0.0};
    boolean[] y = {true, false, true, false};
    // (0.01 + 0.04 + 0.25 + 0) / 4
    assertThat(RankMetrics.brier(p, y)).isCloseTo(0.075, within(1e-12));
  }

  @Test
  void calibrationCutsTenEqualGroupsByPredictionAndLiftComparesTheTopTenth() {
    int n = 100;
    double[] p = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      p[i] = i / 100.0;
      y[i] = i >= 90 || i % 10 == 0; // top decile all positive, one in ten elsewhere
    }
    List<RankMetrics.Decile> deciles = RankMetrics.calibration(p, y);
    assertThat(deciles).hasSize(10);
    assertThat(deciles.get(0).decile()).isEqualTo(1);
    assertThat(deciles.get(0).count()).isEqualTo(10);
    assertThat(deciles.get(0).meanPredicted()).isCloseTo(0.045, within(1e-12));
    assertThat(deciles.get(0).observedRate()).isEqualTo(0.1);
    assertThat(deciles.get(9).observedRate()).isEqualTo(1.0);
    assertThat(deciles.get(9).meanPredicted()).isCloseTo(0.945, within(1e-12));
    // 19 positives of 100: top tenth rate 1.0 / 0.19
    assertThat(RankMetrics.topDecileLift(p, y)).isCloseTo(1 / 0.19, within(1e-12));
  }

  @Test
  void anAucNeedsBothClasses() {
    assertThatThrownBy(() -> RankMetrics.auc(new double[] {0.1, 0.2}, new boolean[] {true, true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AUC needs positives and negatives: 2/0");
    assertThatThrownBy(
            () -> RankMetrics.auc(new double[] {Double.NaN, 0.2}, new boolean[] {true, false}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("score 0 is not finite: NaN");
  }

  static double pairShare(double[] s, boolean[] y) {
    double sum = 0;
    long pairs = 0;
    for (int i = 0; i < s.length; i++) {
      for (int j = 0; j < s.length; j++) {
        if (y[i] && !y[j]) {
          sum += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
          pairs++;
        }
      }
    }
    return sum / pairs;
  }

  /** V10 per positive and V01 per negative by their definition (DeLong 1988). */
  private static double[][] directV(double[] s, boolean[] y) {
    java.util.List<Double> pos = new java.util.ArrayList<>();
    java.util.List<Double> neg = new java.util.ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      (y[i] ? pos : neg).add(s[i]);
    }
    double[] v10 = new double[pos.size()];
    double[] v01 = new double[neg.size()];
    for (int i = 0; i < pos.size(); i++) {
      for (int j = 0; j < neg.size(); j++) {
        double psi = pos.get(i) > neg.get(j) ? 1 : pos.get(i).equals(neg.get(j)) ? 0.5 : 0;
        v10[i] += psi / neg.size();
        v01[j] += psi / pos.size();
      }
    }
    return new double[][] {v10, v01};
  }

  private static double sampleVar(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x;
    }
    m /= v.length;
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return s / (v.length - 1);
  }
}
