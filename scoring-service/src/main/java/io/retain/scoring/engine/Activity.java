package io.retain.scoring.engine;

import java.time.LocalDate;
import java.util.List;

/**
 * customer-service's activity aggregates for one customer (docs/contracts.md). {@code
 * purchaseDaysAllTime}: distinct days with a counted order by the as-of date (0 from a
 * customer-service that predates it), what BG/NBD's x = days − 1 is taken from.
 */
public record Activity(
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
