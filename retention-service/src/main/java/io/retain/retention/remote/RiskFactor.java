package io.retain.retention.remote;

/** A risk factor as carried by scoring's warning feed (docs/contracts.md). */
public record RiskFactor(
    String code,
    String severity,
    Double value,
    Double threshold,
    Double pointsLost,
    String message) {}
