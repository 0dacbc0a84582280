package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Scores and amounts bound as decimal text store the value Double.toString's text stored. */
class DecimalsTest {

  @Test
  void writesTheDecimalAtTheColumnsPlaces() {
    assertThat(Decimals.of(72.3, 1)).isEqualTo("72.3");
    assertThat(Decimals.of(100.0, 1)).isEqualTo("100.0");
    assertThat(Decimals.of(0.0, 1)).isEqualTo("0.0");
    assertThat(Decimals.of(0.05, 2)).isEqualTo("0.05");
    assertThat(Decimals.of(1234.5, 2)).isEqualTo("1234.50");
    // where Double.toString switches to exponent form
    assertThat(Decimals.of(12_345_678.9, 2)).isEqualTo("12345678.90");
    assertThat(Decimals.of(-3.07, 2)).isEqualTo("-3.07");
    // not a number a score or an amount can be: left to Double.toString (numeric reads it too)
    assertThat(Decimals.of(Double.NaN, 1)).isEqualTo("NaN");
  }

  /**
   * For every score (one place) and amount (cents, as customer-service's sums give them) the text
   * is the number that Double.toString's text rounds to in numeric(5,1) and numeric(16,2).
   */
  @Test
  void sameNumberAsDoubleToStringRoundedByTheColumn() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      double score = Math.round(random.nextDouble(0, 100) * 10) / 10.0;
      double amount = random.nextLong(0, 100_000_000_000L) / 100.0;
      assertThat(new BigDecimal(Decimals.of(score, 1)))
          .isEqualTo(new BigDecimal(Double.toString(score)).setScale(1, RoundingMode.HALF_UP));
      assertThat(new BigDecimal(Decimals.of(amount, 2)))
          .isEqualTo(new BigDecimal(Double.toString(amount)).setScale(2, RoundingMode.HALF_UP));
    }
  }
}
