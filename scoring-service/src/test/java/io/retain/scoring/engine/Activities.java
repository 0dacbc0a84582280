package io.retain.scoring.engine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Test activity: a healthy customer (three years a customer, one order a month of 100, promoters,
 * satisfied, no tickets) that a test changes only where its edge is.
 */
final class Activities {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");

  LocalDate since = AS_OF.minusYears(3);
  LocalDate accountManagerChangedAt;
  int ordersInWindow = 12;
  List<Integer> ordersByBucket = new ArrayList<>(Collections.nCopies(12, 1));
  int stabilityOrders = 12;
  double stabilityAmountSum = 1200;
  double stabilityAmountSumSquares = 120_000;
  LocalDate lastOrderDate = AS_OF.minusDays(10);
  LocalDate firstOrderDate = AS_OF.minusYears(3);
  long ordersAllTime = 36;
  int purchaseDaysAllTime = 36;
  int complaintsInWindow;
  int ticketsInWindow;
  Double meanFirstResponseHours;
  int ticketsOpenOver7Days;
  int npsPromoters = 10;
  int npsPassives;
  int npsDetractors;
  Double csatMean = 4.5;
  int csatResponses = 10;

  static Activity healthy() {
    return with(b -> {});
  }

  static Activity with(Consumer<Activities> change) {
    Activities b = new Activities();
    change.accept(b);
    return new Activity(
        "T1",
        b.since,
        "ENTERPRISE",
        "RETAIL",
        "KEY",
        "EAST",
        "ACTIVE",
        b.accountManagerChangedAt,
        b.ordersInWindow,
        b.ordersByBucket,
        b.stabilityAmountSum,
        b.stabilityAmountSumSquares,
        b.stabilityOrders,
        b.stabilityAmountSum,
        b.stabilityAmountSumSquares,
        b.lastOrderDate,
        b.firstOrderDate,
        b.ordersAllTime,
        b.stabilityAmountSum * 3,
        b.stabilityAmountSum,
        b.complaintsInWindow,
        b.ticketsInWindow,
        b.meanFirstResponseHours,
        b.ticketsOpenOver7Days,
        b.npsPromoters,
        b.npsPassives,
        b.npsDetractors,
        b.csatMean,
        b.csatResponses,
        b.purchaseDaysAllTime);
  }

  static Assessment assess(Activity a) {
    return ScoringEngine.assess(a, WeightProfile.defaults(), AS_OF, null, 0.8);
  }

  private Activities() {}
}
