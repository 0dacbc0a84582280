package io.retain.retention.remote;

import io.retain.support.events.SequencedEvent;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One entry of scoring's warning feed (docs/contracts.md), or a {@code loyalty-warning-raised}
 * event (docs/events/); fromTier is null on a first assessment.
 */
public record WarningEvent(
    long seq,
    String customerId,
    LocalDate asOf,
    OffsetDateTime createdAt,
    String fromTier,
    String toTier,
    Double scoreBefore,
    Double scoreAfter,
    List<String> reasons,
    List<RiskFactor> riskFactors)
    implements SequencedEvent {}
