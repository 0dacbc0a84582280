package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** A rescoring's failure names scoring's own fault and never claims "unchanged" after writes. */
class RescoringFailureTest {

  static final Throwable OVERFLOW =
      new DataIntegrityViolationException(
          "executeMany; SQL [with x as ...]", new IllegalStateException("numeric field overflow"));

  @Test
  void aLocalFailureAfterWritesSaysHowManyWereStored() {
    RescoringFailure f = new RescoringFailure(OVERFLOW, 2000);
    assertThat(f.remote()).isFalse();
    assertThat(f.stored()).isEqualTo(2000);
    assertThat(f.getMessage())
        .isEqualTo(
            "scoring-service could not store scores (numeric field overflow); 2000 customers were"
                + " rescored and stored before the failure, the others keep their previous scores");
  }

  @Test
  void aLocalFailureBeforeAnyWriteSaysUnchangedAndBlamesNoOneElse() {
    assertThat(new RescoringFailure(OVERFLOW, 0).getMessage())
        .isEqualTo(
            "scoring-service could not store scores (numeric field overflow); stored scores are"
                + " unchanged");
  }
}
