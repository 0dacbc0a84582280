package io.retain.scoring.prediction.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hyp2F1Test {

  @Test
  void matchesClosedFormsOnBothSidesOfTheEulerSwitch() {
    for (double z : new double[] {0.01, 0.3, 0.5, 0.9, 0.99, 0.9999}) {
      // 2F1(1,1;2;z) = −ln(1−z)/z: a + b − c = 0, plain series
      // (summing ~10^5 terms at z = 0.9999 costs a few ulps per term)
      assertThat(Hyp2F1.value(1, 1, 2, z)).isCloseTo(-Math.log1p(-z) / z, relative(1e-11));
      // 2F1(a,b;b;z) = (1−z)^−a: a + b − c = a > 0, Euler transform
      assertThat(Hyp2F1.value(2.7, 1.3, 1.3, z)).isCloseTo(Math.pow(1 - z, -2.7), relative(1e-13));
    }
    // 2F1(1/2,1/2;3/2;z²) = arcsin(z)/z
    assertThat(Hyp2F1.value(0.5, 0.5, 1.5, 0.25)).isCloseTo(Math.asin(0.5) / 0.5, relative(1e-15));
  }

  /** Reference values from mpmath 1.3.0 (arbitrary precision), printed to 17 digits. */
  @ParameterizedTest
  @CsvSource({
    "1.2, 3.4, 5.6, 0.7, 2.0895695679498427",
    "2.5, -1.5, 0.5, 0.3, -0.81275545434738761",
    "0.24, 2.43, 2.22, 0.999, 10.946671985886605",
    "0.3, 0.7, 2.1, -0.6, 0.94994984022341578",
    "3.2426, 4.426, 4.2189, 0.474, 8.9473931675896132",
  })
  void matchesArbitraryPrecisionValues(double a, double b, double c, double z, double expected) {
    assertThat(Hyp2F1.value(a, b, c, z)).isCloseTo(expected, relative(1e-12));
  }

  @Test
  void logValueStaysFiniteWhereTheValueOverflows() {
    // mpmath: ln 2F1(52.2, 52.4; 53.2; 0.95) = 153.99529066010226,
    //         ln 2F1(1000.24, 1002.43; 1002.22; 0.999) = 6910.8633538205067 (value ≈ 10^3001)
    assertThat(Hyp2F1.logValue(52.2, 52.4, 53.2, 0.95))
        .isCloseTo(153.99529066010226, relative(1e-12));
    assertThat(Hyp2F1.value(1000.24, 1002.43, 1002.22, 0.999)).isInfinite();
    assertThat(Hyp2F1.logValue(1000.24, 1002.43, 1002.22, 0.999))
        .isCloseTo(6910.8633538205067, relative(1e-12));
  }

  @Test
  void approachesGausssSumAtOne() {
    // 2F1(a,b;c;1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) when c − a − b > 0; the value at z = 1 − 1e-4
    // differs from it by O((1−z)^min(1, c−a−b)) = O(1e-4); mpmath gives 1.118613822338325 there
    double a = 0.3, b = 0.5, c = 2.2;
    double gauss =
        Math.exp(
            Gamma.logGamma(c)
                + Gamma.logGamma(c - a - b)
                - Gamma.logGamma(c - a)
                - Gamma.logGamma(c - b));
    assertThat(Hyp2F1.value(a, b, c, 1 - 1e-4)).isCloseTo(gauss, relative(1e-4));
    assertThat(Hyp2F1.value(a, b, c, 1 - 1e-4)).isCloseTo(1.118613822338325, relative(1e-12));
  }

  @Test
  void throwsRatherThanReturnAnUnconvergedSum() {
    // BG/NBD never comes this close to 1 (z = h/(α+T+h) ≤ 0.992 for ten-year horizons)
    assertThatThrownBy(() -> Hyp2F1.value(0.3, 0.5, 2.2, 1 - 1e-12))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("did not converge");
  }

  @Test
  void refusesArgumentsOutsideItsDomain() {
    assertThatThrownBy(() -> Hyp2F1.value(1, 1, 2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("|z| < 1");
    assertThatThrownBy(() -> Hyp2F1.value(1, 1, -2, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("undefined for c = -2");
  }

  private static org.assertj.core.data.Percentage relative(double fraction) {
    return org.assertj.core.data.Percentage.withPercentage(fraction * 100);
  }
}
