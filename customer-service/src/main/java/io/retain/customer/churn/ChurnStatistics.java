package io.retain.customer.churn;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Churn over a period (schema type ChurnStatistics) and its parts. */
record ChurnStatistics(
    LocalDate from,
    LocalDate to,
    Group total,
    List<Group> groups,
    List<Point> series,
    Timing timing,
    List<Count> byType,
    List<Count> byCauseClass,
    List<Count> byReason,
    LostValue lostValue,
    List<Cohort> cohorts) {

  /** Churn of one group over the period. */
  record Group(String key, int activeAtStart, int churned, int churnedFromStart) {
    public Double churnRate() {
      return activeAtStart == 0 ? null : (double) churnedFromStart / activeAtStart;
    }

    public Double retentionRate() {
      Double r = churnRate();
      return r == null ? null : 1.0 - r;
    }
  }

  /** One step of the series. */
  record Point(LocalDate periodStart, int activeAtStart, int churned) {
    public Double churnRate() {
      return activeAtStart == 0 ? null : (double) churned / activeAtStart;
    }
  }

  /** Churns by how long before `to` they happened. */
  record Timing(int withinThreeMonths, int threeToTwelveMonths, int overTwelveMonths) {}

  /** Churns with one type, cause class or reason. */
  record Count(String key, int count, double share) {}

  /** Spend of churned against retained customers. */
  record LostValue(
      int churnedCustomers,
      BigDecimal churnedHistoricalSpend,
      BigDecimal churnedAnnualisedSpend,
      int retainedCustomers,
      BigDecimal retainedHistoricalSpend,
      BigDecimal retainedAnnualisedSpend) {}

  /** A monthly cohort and how many stayed after each month. */
  record Cohort(String cohort, int size, List<Integer> retained) {
    public List<Double> rates() {
      return retained.stream().map(r -> size == 0 ? 0.0 : (double) r / size).toList();
    }
  }

  /** A churn record reduced to its dates (scoring's churn labels). */
  record ChurnEvent(String customerId, LocalDate churnedAt, @Nullable LocalDate wonBackAt) {}

  /** 12-month retention of a kind × value tier segment. */
  record SegmentRetention(
      String kind, String valueTier, double retentionRate, int customersAtStart) {}
}
