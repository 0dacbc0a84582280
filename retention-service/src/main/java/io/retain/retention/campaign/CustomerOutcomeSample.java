package io.retain.retention.campaign;

/**
 * One customer's outcome over a period, as the campaign evaluation needs it (derived from
 * customer-service's CustomerOutcome).
 *
 * @param retained still active at the end of the period
 * @param lapsed had lapsed before the period (eligible for win-back)
 * @param wonBack lapsed and ordered again in the period
 * @param complained at least one complaint in the period
 * @param satisfaction CSAT mean in the period, null without answers
 */
public record CustomerOutcomeSample(
    String customerId,
    boolean retained,
    boolean lapsed,
    boolean wonBack,
    double spend,
    boolean complained,
    Double satisfaction) {}
