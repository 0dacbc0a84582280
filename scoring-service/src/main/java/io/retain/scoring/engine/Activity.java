package io.retain.scoring.engine;

import java.time.LocalDate;
import java.util.List;

/** customer-service's activity aggregates for one customer (docs/contracts.md). */
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
    int csatResponses) {}
