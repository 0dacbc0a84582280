package io.retain.scoring.prediction.churn;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** A customer's churn record as customer-service holds it (one per customer). */
public record ChurnEvent(String customerId, LocalDate churnedAt, @Nullable LocalDate wonBackAt) {

  /** Gone at {@code t}: churned on or before it and not won back by then. */
  public boolean goneAt(LocalDate t) {
    return !churnedAt.isAfter(t) && (wonBackAt == null || wonBackAt.isAfter(t));
  }

  /** Churned within {@code (t, t + horizonDays]}. */
  public boolean churnsWithin(LocalDate t, int horizonDays) {
    return churnedAt.isAfter(t) && !churnedAt.isAfter(t.plusDays(horizonDays));
  }
}
