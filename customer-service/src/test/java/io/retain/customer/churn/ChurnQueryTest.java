package io.retain.customer.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The churnStatistics argument rules, without a database. */
class ChurnQueryTest {

  static final LocalDate FROM = LocalDate.parse("2026-01-01");

  @Test
  void defaultsToMonthsWithoutBreakdownAndMapsBreakdownsToColumns() {
    assertThat(ChurnQuery.of(FROM, FROM, null, null))
        .isEqualTo(new ChurnQuery(FROM, FROM, "month", null));
    assertThat(ChurnQuery.of(FROM, FROM, "VALUE_TIER", "WEEK").column()).isEqualTo("value_tier");
    assertThat(ChurnQuery.of(FROM, FROM, "VALUE_TIER", "WEEK").unit()).isEqualTo("week");
  }

  @Test
  void aPeriodEndingBeforeItStartsIsRefusedOnTo() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> ChurnQuery.of(FROM, FROM.minusDays(1), null, null));
    assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
    assertThat(e.field()).isEqualTo("to");
  }

  @Test
  void aSeriesOfMoreThan3700StepsIsRefusedOnGranularity() {
    assertThat(ChurnQuery.of(FROM, FROM.plusDays(3_700), null, "DAY").unit()).isEqualTo("day");
    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> ChurnQuery.of(FROM, FROM.plusDays(3_701), null, "DAY"));
    assertThat(e.field()).isEqualTo("granularity");
    assertThat(e.expected()).isEqualTo("at most 3700 steps");
    // the same period in months is short enough
    assertThat(ChurnQuery.of(FROM, FROM.plusDays(3_701), null, "MONTH").unit()).isEqualTo("month");
  }
}
