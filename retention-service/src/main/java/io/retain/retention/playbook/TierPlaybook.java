package io.retain.retention.playbook;

import java.util.List;

/**
 * The default strategy for every customer of a loyalty tier, opened only when its churn gate admits
 * the customer.
 */
public record TierPlaybook(
    String tier,
    String strategyEn,
    String strategyZh,
    List<String> departments,
    ExpectedEffect expectedEffect,
    ChurnGate churnGate) {

  /** A playbook without a churn minimum. */
  public TierPlaybook(
      String tier,
      String strategyEn,
      String strategyZh,
      List<String> departments,
      ExpectedEffect expectedEffect) {
    this(tier, strategyEn, strategyZh, departments, expectedEffect, ChurnGate.NONE);
  }
}
