package io.retain.scoring.prediction.churn;

import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Monthly observation dates over a range and their out-of-time split (DOMAIN.md §10.2). The last
 * quarter of the dates (at least one) validate; a date trains only when its whole label window
 * {@code (t, t + horizon]} ends on or before the first validation date, so no training label sees
 * anything dated after a validation observation. Dates in between (whose labels would overlap the
 * validation period) are left out.
 */
public record ObservationPlan(
    int horizonDays, List<LocalDate> training, List<LocalDate> validation) {

  /**
   * Plans {@code from}, {@code from + 1 month}, … up to {@code to}. Throws {@link ApiException}
   * when the horizon is not positive or the range leaves no training or no validation date.
   */
  public static ObservationPlan of(LocalDate from, LocalDate to, int horizonDays) {
    if (horizonDays <= 0) {
      throw new ApiException(
          "INVALID_HORIZON",
          "horizonDays",
          "a whole number of days > 0",
          "horizonDays must be positive, not " + horizonDays);
    }
    if (to.isBefore(from)) {
      throw new ApiException(
          "INVALID_RANGE", "to", "a date on or after from", "to " + to + " is before from " + from);
    }
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; !from.plusMonths(i).isAfter(to); i++) {
      dates.add(from.plusMonths(i));
    }
    int validating = Math.max(1, dates.size() / 4);
    List<LocalDate> validation = dates.subList(dates.size() - validating, dates.size());
    LocalDate firstValidation = validation.get(0);
    List<LocalDate> training =
        dates.subList(0, dates.size() - validating).stream()
            .filter(t -> !t.plusDays(horizonDays).isAfter(firstValidation))
            .toList();
    if (training.isEmpty()) {
      throw new ApiException(
          "INVALID_RANGE",
          "from",
          "a range whose early observation dates' "
              + horizonDays
              + "-day label windows end before its last quarter begins",
          "from "
              + from
              + " to "
              + to
              + " leaves no training date before the validation date "
              + firstValidation
              + " with a "
              + horizonDays
              + "-day horizon");
    }
    return new ObservationPlan(horizonDays, List.copyOf(training), List.copyOf(validation));
  }

  /** Every observation date, training then validation. */
  public List<LocalDate> all() {
    List<LocalDate> out = new ArrayList<>(training);
    out.addAll(validation);
    return out;
  }

  /** The last day any label of this plan looks at. */
  public LocalDate labelsEnd() {
    return validation.get(validation.size() - 1).plusDays(horizonDays);
  }
}
