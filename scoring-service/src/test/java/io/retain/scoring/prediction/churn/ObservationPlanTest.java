package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Monthly observation dates and the out-of-time split. */
class ObservationPlanTest {

  static final LocalDate JAN = LocalDate.parse("2025-01-01");

  @Test
  void aYearOfMonthsWithA90DayHorizonTrainsOnJanuaryToJulyAndValidatesOnTheLastQuarter() {
    ObservationPlan p = ObservationPlan.of(JAN, LocalDate.parse("2025-12-15"), 90);
    assertThat(p.validation())
        .containsExactly(
            LocalDate.parse("2025-10-01"),
            LocalDate.parse("2025-11-01"),
            LocalDate.parse("2025-12-01"));
    // 2025-07-01 + 90 days = 2025-09-29, before 2025-10-01; August's labels would reach 2025-10-30
    assertThat(p.training()).hasSize(7).startsWith(JAN).endsWith(LocalDate.parse("2025-07-01"));
    assertThat(p.labelsEnd()).isEqualTo(LocalDate.parse("2026-03-01"));
  }

  @Test
  void noTrainingLabelSeesAnythingDatedAfterTheFirstValidationObservation() {
    for (int months = 1; months <= 36; months++) {
      for (int horizon : new int[] {1, 30, 31, 60, 90, 180, 365}) {
        ObservationPlan p;
        try {
          p = ObservationPlan.of(JAN, JAN.plusMonths(months), horizon);
        } catch (ApiException e) {
          assertThat(e.code()).isEqualTo("INVALID_RANGE");
          continue;
        }
        LocalDate firstValidation = p.validation().get(0);
        for (LocalDate t : p.training()) {
          assertThat(t.plusDays(horizon)).isBeforeOrEqualTo(firstValidation);
        }
        assertThat(p.training()).isSortedAccordingTo(LocalDate::compareTo);
        assertThat(p.validation()).isSortedAccordingTo(LocalDate::compareTo);
      }
    }
  }

  @Test
  void aHorizonOfZeroOrLessIsRefused() {
    for (int h : new int[] {0, -30}) {
      assertThatThrownBy(() -> ObservationPlan.of(JAN, JAN.plusYears(1), h))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo("INVALID_HORIZON");
                assertThat(e.field()).isEqualTo("horizonDays");
                assertThat(e.expected()).isEqualTo("a whole number of days > 0");
              });
    }
  }

  @Test
  void aRangeTooShortForItsHorizonIsRefused() {
    assertThatThrownBy(() -> ObservationPlan.of(JAN, JAN.plusMonths(2), 90))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo("INVALID_RANGE");
              assertThat(e.field()).isEqualTo("from");
            });
    assertThatThrownBy(() -> ObservationPlan.of(JAN, JAN.minusDays(1), 90))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("to"));
  }
}
