package io.retain.customer.activity;

import java.time.LocalDate;

/** What a customer did between two dates (retention measures plans and campaigns with it). */
record CustomerOutcome(
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
    LocalDate lastOrderDate,
    LocalDate churnedAt,
    LocalDate wonBackAt,
    String status) {}
