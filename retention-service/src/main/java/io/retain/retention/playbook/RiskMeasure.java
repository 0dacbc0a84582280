package io.retain.retention.playbook;

/**
 * The measure taken against one risk factor, by one department, with its expected effect; opened
 * only when its churn gate admits the customer.
 */
public record RiskMeasure(
    String riskCode,
    String measureEn,
    String measureZh,
    String department,
    ExpectedEffect expectedEffect,
    ChurnGate churnGate) {

  /** A measure without a churn minimum. */
  public RiskMeasure(
      String riskCode,
      String measureEn,
      String measureZh,
      String department,
      ExpectedEffect expectedEffect) {
    this(riskCode, measureEn, measureZh, department, expectedEffect, ChurnGate.NONE);
  }
}
