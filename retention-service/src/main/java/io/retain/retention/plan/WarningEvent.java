package io.retain.retention.plan;

import java.time.LocalDate;
import java.util.List;

/** scoring-service's warning, as the feed delivers it (docs/contracts.md). */
public record WarningEvent(
    long seq,
    String customerId,
    LocalDate asOf,
    String fromTier,
    String toTier,
    List<String> reasons,
    List<Factor> riskFactors) {

  /** A risk factor of the assessment that raised the warning. */
  public record Factor(String code, String severity, String message) {}
}
