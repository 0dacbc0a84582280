package io.retain.retention.playbook;

import java.math.BigDecimal;

/** What a measure should achieve: {@code metric comparator target} within some days. */
public record ExpectedEffect(String metric, String comparator, BigDecimal target, int withinDays) {

  /** Metrics an expected effect can name (evaluated from customer-service outcomes). */
  public static final java.util.Set<String> METRICS =
      java.util.Set.of(
          "ORDERS", "WIN_BACK", "COMPLAINT_RATE", "NPS", "ORDERS_PER_MONTH", "UNRESOLVED_TICKETS");

  /** Comparators an expected effect can use. */
  public static final java.util.Set<String> COMPARATORS =
      java.util.Set.of("LT", "LTE", "GT", "GTE", "EQ");

  /** Whether an observed value meets this effect. */
  public boolean isMetBy(BigDecimal observed) {
    int c = observed.compareTo(target);
    return switch (comparator) {
      case "LT" -> c < 0;
      case "LTE" -> c <= 0;
      case "GT" -> c > 0;
      case "GTE" -> c >= 0;
      case "EQ" -> c == 0;
      default -> throw new IllegalStateException("unknown comparator " + comparator);
    };
  }
}
