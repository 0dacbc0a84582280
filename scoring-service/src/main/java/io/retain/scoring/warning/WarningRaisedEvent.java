package io.retain.scoring.warning;

import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.warning.WarningController.WarningEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Schema version 1 of the {@code loyalty-warning-raised} event (docs/events/): the same facts as an
 * entry of the warning feed, keyed by customer id, each risk factor with its English message.
 */
record WarningRaisedEvent(
    int schemaVersion,
    long seq,
    String customerId,
    LocalDate asOf,
    Instant createdAt,
    @Nullable String fromTier,
    String toTier,
    @Nullable Double scoreBefore,
    @Nullable Double scoreAfter,
    List<String> reasons,
    List<Factor> riskFactors) {

  static final int VERSION = 1;

  /** A risk factor as the warning feed carries it. */
  record Factor(
      String code,
      String severity,
      @Nullable Double value,
      @Nullable Double threshold,
      @Nullable Double pointsLost,
      String message) {}

  static WarningRaisedEvent of(WarningEvent w, Function<RiskFactor, String> message) {
    return new WarningRaisedEvent(
        VERSION,
        w.seq(),
        w.customerId(),
        w.asOf(),
        w.createdAt(),
        w.fromTier(),
        w.toTier(),
        w.scoreBefore(),
        w.scoreAfter(),
        w.reasons(),
        w.riskFactors().stream()
            .map(
                f ->
                    new Factor(
                        f.code().name(),
                        f.severity().name(),
                        f.value(),
                        f.threshold(),
                        f.pointsLost(),
                        message.apply(f)))
            .toList());
  }
}
