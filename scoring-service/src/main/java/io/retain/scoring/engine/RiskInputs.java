package io.retain.scoring.engine;

import org.jspecify.annotations.Nullable;

/**
 * The values the risk rules read, one per rule input; null where the data cannot give one (the rule
 * then does not fire).
 */
public record RiskInputs(
    @Nullable Double daysSinceLastOrder,
    boolean neverOrdered,
    @Nullable Double frequencyDropPercent,
    double complaintRate,
    @Nullable Double nps,
    @Nullable Double orderValueStability,
    @Nullable Double meanFirstResponseHours,
    double ticketsOpenOver7Days,
    @Nullable Double scoreFell,
    @Nullable Double daysSinceManagerChange,
    @Nullable Double csatMean) {}
