package io.retain.retention.campaign;

/**
 * A metric in two groups (a = treatment or after, b = holdout or before) with the difference a − b
 * and its 95% confidence interval; the interval is null when a group is empty.
 */
public record Uplift(
    String metric,
    double valueA,
    double valueB,
    int nA,
    int nB,
    double uplift,
    Double ciLow,
    Double ciHigh) {}
