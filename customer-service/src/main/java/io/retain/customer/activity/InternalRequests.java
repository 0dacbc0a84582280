package io.retain.customer.activity;

import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Limits and normalisation of the internal API's arguments, refused with the field at fault. */
final class InternalRequests {

  /** Most ids one call may name; callers page beyond it. */
  static final int MAX_IDS = 5000;

  private InternalRequests() {}

  /** Ids trimmed, upper-cased and without repeats, in the caller's order. */
  static List<String> ids(List<String> ids) {
    if (ids.size() > MAX_IDS) {
      throw ApiException.badInput(
          "ids", "at most " + MAX_IDS + " ids", ids.size() + " ids in one call; page them");
    }
    return ids.stream().map(i -> i.trim().toUpperCase(Locale.ROOT)).distinct().toList();
  }

  /** The aggregation window, default 12 months, 1..120. */
  static int windowMonths(@Nullable Integer windowMonths) {
    int w = windowMonths == null ? 12 : windowMonths;
    if (w < 1 || w > 120) {
      throw ApiException.badInput(
          "windowMonths", "1 to 120", "windowMonths " + w + " is out of range");
    }
    return w;
  }

  /** How many feed changes one call returns, default 1000, 1..10000. */
  static int changeLimit(@Nullable Integer limit) {
    int l = limit == null ? 1000 : limit;
    if (l < 1 || l > 10_000) {
      throw ApiException.badInput("limit", "1 to 10000", "limit " + l + " is out of range");
    }
    return l;
  }

  /** A period [from, to] that does not end before it starts. */
  static void period(LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw ApiException.badInput(
          "to", "a date on or after from", "to " + to + " is before from " + from);
    }
  }
}
