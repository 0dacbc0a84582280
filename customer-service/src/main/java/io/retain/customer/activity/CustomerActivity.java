package io.retain.customer.activity;

import java.time.LocalDate;
import java.util.List;

/**
 * Per-customer aggregates as of a date over a window of months: everything scoring needs, and
 * nothing row-level (docs/contracts.md). {@code purchaseDaysAllTime}: distinct UTC days with a
 * counted order by the as-of date (BG/NBD's x + 1, DOMAIN.md §10.1), last so older readers keep
 * their indexes.
 */
public record CustomerActivity(
    String customerId,
    LocalDate since,
    String kind,
    String industry,
    String valueTier,
    String region,
    String status,
    LocalDate accountManagerChangedAt,
    int ordersInWindow,
    List<Integer> ordersByBucket,
    double amountSum,
    double amountSumSquares,
    int stabilityOrders,
    double stabilityAmountSum,
    double stabilityAmountSumSquares,
    LocalDate lastOrderDate,
    LocalDate firstOrderDate,
    long ordersAllTime,
    double spendAllTime,
    double spendInWindow,
    int complaintsInWindow,
    int ticketsInWindow,
    Double meanFirstResponseHours,
    int ticketsOpenOver7Days,
    int npsPromoters,
    int npsPassives,
    int npsDetractors,
    Double csatMean,
    int csatResponses,
    int purchaseDaysAllTime) {}
