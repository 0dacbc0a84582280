package io.retain.customer.churn;

import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A checked churnStatistics request: the period, the series step ("day", "week" or "month") and the
 * profile column to break down by (null for none).
 */
record ChurnQuery(LocalDate from, LocalDate to, String unit, @Nullable String column) {

  /** Longest series (steps) one call may ask for, so a DAY series cannot run away. */
  static final long MAX_STEPS = 3_700;

  /** Checks the arguments as the schema gives them; a bad one fails with its field. */
  static ChurnQuery of(
      LocalDate from, LocalDate to, @Nullable String breakdown, @Nullable String granularity) {
    if (to.isBefore(from)) {
      throw ApiException.badInput(
          "to", "a date on or after from", "The period ends before it starts");
    }
    String unit = granularity == null ? "month" : granularity.toLowerCase(Locale.ROOT);
    long steps =
        switch (unit) {
          case "day" -> ChronoUnit.DAYS.between(from, to);
          case "week" -> ChronoUnit.WEEKS.between(from, to);
          default -> ChronoUnit.MONTHS.between(from, to);
        };
    if (steps > MAX_STEPS) {
      throw ApiException.badInput(
          "granularity", "at most " + MAX_STEPS + " steps", "The series would be too long");
    }
    String column =
        breakdown == null
            ? null
            : switch (breakdown) {
              case "KIND" -> "kind";
              case "INDUSTRY" -> "industry";
              case "VALUE_TIER" -> "value_tier";
              case "REGION" -> "region";
              default -> throw new IllegalArgumentException(breakdown);
            };
    return new ChurnQuery(from, to, unit, column);
  }
}
