package io.retain.retention.playbook;

/** The measure taken against one risk factor, by one department, with its expected effect. */
public record RiskMeasure(
    String riskCode,
    String measureEn,
    String measureZh,
    String department,
    ExpectedEffect expectedEffect) {}
