package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Newton fit against known coefficients, its optimality conditions, and degenerate input. */
class LogisticRegressionTest {

  @Test
  void recoversTheCoefficientsTheDataWasDrawnWith() {
    Random rnd = new Random(42);
    int n = 40_000;
    double[][] x = new double[n][];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      // raw scales 10 and 0.5, so standardised coefficients are 1.2·10·… per sd
      double a = 10 * rnd.nextGaussian() + 50;
      double b = 0.5 * rnd.nextGaussian();
      x[i] = new double[] {a, b};
      double logit = -1.5 + 0.12 * (a - 50) - 1.6 * b;
      y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-logit));
    }
    LogisticModel m = LogisticRegression.fit(List.of("a", "b"), x, y, 1.0);
    // per-sd coefficients: 0.12·10 = 1.2 and −1.6·0.5 = −0.8 (sampling error about ±0.03)
    assertThat(m.coefficients()[0]).isCloseTo(1.2, within(0.06));
    assertThat(m.coefficients()[1]).isCloseTo(-0.8, within(0.06));
    assertThat(m.intercept()).isCloseTo(-1.5, within(0.06));
    assertThat(m.means()[0]).isCloseTo(50, within(0.2));
    assertThat(m.sds()[1]).isCloseTo(0.5, within(0.01));
  }

  @Test
  void theFitSatisfiesThePenalisedScoreEquations() {
    Random rnd = new Random(9);
    int n = 2_000;
    double[][] x = new double[n][];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      x[i] = new double[] {rnd.nextGaussian(), rnd.nextInt(5), rnd.nextDouble()};
      y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-(x[i][0] - 0.3 * x[i][1])));
    }
    double lambda = 25;
    LogisticModel m = LogisticRegression.fit(List.of("a", "b", "c"), x, y, lambda);
    double[] g = new double[4];
    for (int i = 0; i < n; i++) {
      double r = (y[i] ? 1 : 0) - m.probability(x[i]);
      g[0] += r;
      for (int j = 0; j < 3; j++) {
        g[j + 1] += r * m.z(j, x[i][j]);
      }
    }
    assertThat(g[0]).isCloseTo(0, within(1e-6));
    for (int j = 0; j < 3; j++) {
      assertThat(g[j + 1] - lambda * m.coefficients()[j]).isCloseTo(0, within(1e-6));
    }
  }

  @Test
  void contributionsAddUpToTheLogOdds() {
    LogisticModel m =
        new LogisticModel(
            List.of("a", "b", "c"),
            new double[] {1, 2, 3},
            new double[] {2, 1, 0.5},
            -0.7,
            new double[] {0.5, -1, 2});
    double[] x = {5, 2.5, Double.NaN};
    List<LogisticModel.Contribution> c = m.contributions(x);
    // a: 0.5·(5−1)/2 = 1; b: −1·(2.5−2)/1 = −0.5; c missing: 0
    assertThat(c)
        .containsExactly(
            new LogisticModel.Contribution("a", 5, 1.0),
            new LogisticModel.Contribution("c", Double.NaN, 0.0),
            new LogisticModel.Contribution("b", 2.5, -0.5));
    assertThat(m.logit(x)).isCloseTo(-0.7 + 1 - 0.5, within(1e-12));
    assertThat(m.probability(x)).isCloseTo(1 / (1 + Math.exp(0.2)), within(1e-12));
  }

  @Test
  void separableDataKeepsFiniteCoefficientsThatStillRankPerfectly() {
    double[][] x = new double[200][];
    boolean[] y = new boolean[200];
    for (int i = 0; i < 200; i++) {
      x[i] = new double[] {i};
      y[i] = i >= 100;
    }
    LogisticModel m = LogisticRegression.fit(List.of("a"), x, y, 1.0);
    assertThat(Double.isFinite(m.coefficients()[0])).isTrue();
    assertThat(m.coefficients()[0]).isGreaterThan(3);
    assertThat(m.probability(new double[] {150})).isGreaterThan(0.95);
    assertThat(m.probability(new double[] {50})).isLessThan(0.05);
    double[] p = new double[200];
    for (int i = 0; i < 200; i++) {
      p[i] = m.probability(x[i]);
    }
    assertThat(RankMetrics.auc(p, y).value()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void featuresWithoutSpreadAreDroppedAndMissingValuesAreImputed() {
    Random rnd = new Random(1);
    double[][] x = new double[500][];
    boolean[] y = new boolean[500];
    for (int i = 0; i < 500; i++) {
      double a = rnd.nextGaussian();
      x[i] = new double[] {a, 7, Double.NaN, i % 3 == 0 ? Double.NaN : a + rnd.nextGaussian()};
      y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-a));
    }
    LogisticModel m = LogisticRegression.fit(List.of("a", "constant", "absent", "d"), x, y, 1.0);
    assertThat(m.features()).containsExactly("a", "d");
    double[] row = LogisticRegression.select(List.of("a", "constant", "absent", "d"), m, x[0]);
    assertThat(row).containsExactly(x[0][0], x[0][3]);
  }

  @Test
  void oneClassOnlyGivesAFiniteInterceptAndNoSpreadInPredictions() {
    double[][] x = {{1}, {2}, {3}, {4}};
    boolean[] y = {false, false, false, false};
    LogisticModel m = LogisticRegression.fit(List.of("a"), x, y, 1.0);
    assertThat(Double.isFinite(m.intercept())).isTrue();
    assertThat(m.probability(new double[] {4})).isLessThan(0.01);
  }
}
