package io.retain.retention.plan;

import io.retain.retention.playbook.ExpectedEffect;
import java.time.LocalDate;

/** A plan the policy wants opened; becomes an {@link ActionPlan} unless one is already open. */
public record PlanDraft(
    String customerId,
    String tier,
    String problemCode,
    String problemMessage,
    Long warningSeq,
    String measuresEn,
    String measuresZh,
    String department,
    LocalDate dueDate,
    ExpectedEffect expectedEffect) {}
