package io.retain.retention.remote;

/**
 * Outcome aggregates of one customer over [from, to] from customer-service's customerOutcomes
 * (docs/contracts.md); dates kept as strings since only their presence is used here.
 */
public record CustomerOutcome(
    String customerId,
    int orders,
    double spend,
    int complaints,
    int tickets,
    int npsResponses,
    int npsPromoters,
    int npsDetractors,
    Double csatMean,
    int csatResponses,
    String lastOrderDate,
    String churnedAt,
    String wonBackAt,
    String status) {}
