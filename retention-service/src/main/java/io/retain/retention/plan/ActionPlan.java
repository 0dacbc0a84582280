package io.retain.retention.plan;

import io.retain.retention.playbook.ExpectedEffect;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A stored action plan (seed 表4) with its measured outcome once evaluated. */
public record ActionPlan(
    long id,
    String customerId,
    String tier,
    String problemCode,
    String problemMessage,
    String source,
    Long warningSeq,
    String measuresEn,
    String measuresZh,
    String department,
    String owner,
    LocalDate dueDate,
    ExpectedEffect expectedEffect,
    PlanStatus status,
    BigDecimal observedValue,
    Boolean effectMet,
    OffsetDateTime evaluatedAt,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** The problem a plan addresses. */
  public record Problem(String code, String message) {}

  /**
   * GraphQL's {@code ActionPlan.problem}, read by the property fetcher (no handler method per plan:
   * a list of 50 customers' plans is hundreds of them).
   */
  public Problem problem() {
    return new Problem(problemCode, problemMessage);
  }
}
