package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The column store keeps every row's values in order across its growth blocks. */
class TrainingSetTest {

  @Test
  void rowsAcrossBlocksKeepTheirValuesAndOverwrites() {
    int width = ChurnFeatures.NAMES.size();
    int n = 150_000; // more than two 65,536-row blocks
    TrainingSet.Builder b = new TrainingSet.Builder();
    double[] f = new double[width];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < width; j++) {
        f[j] = i * 100.0 + j;
      }
      b.add(f, i % 7 == 0, i % 3 == 0 ? null : (double) i, null);
    }
    b.setFeature(65_536, ChurnFeatures.P_ALIVE, 0.25);
    b.setPAlive(65_536, 0.25);
    TrainingSet s = b.build();

    assertThat(s.size()).isEqualTo(n);
    assertThat(b.size()).isZero();
    for (int i : new int[] {0, 65_535, 65_537, 131_072, n - 1}) {
      assertThat(s.column(0)[i]).isEqualTo(i * 100.0);
      assertThat(s.column(width - 1)[i]).isEqualTo(i * 100.0 + width - 1);
      assertThat(s.churned()[i]).isEqualTo(i % 7 == 0);
      if (i % 3 == 0) {
        assertThat(s.loyaltyScores()[i]).isNaN();
      } else {
        assertThat(s.loyaltyScores()[i]).isEqualTo(i);
      }
      assertThat(s.pAlives()[i]).isNaN();
    }
    assertThat(s.column(ChurnFeatures.P_ALIVE)[65_536]).isEqualTo(0.25);
    assertThat(s.pAlives()[65_536]).isEqualTo(0.25);
    assertThat(s.anyPAlive()).isTrue();
    assertThat(s.positives()).isEqualTo((n + 6) / 7);
  }
}
