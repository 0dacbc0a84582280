package io.retain.retention.playbook;

import java.util.Map;
import java.util.Optional;

/** A snapshot of all tier playbooks and risk measures, keyed by tier and risk code. */
public record Playbooks(Map<String, TierPlaybook> tiers, Map<String, RiskMeasure> measures) {

  public Optional<TierPlaybook> tier(String tier) {
    return Optional.ofNullable(tiers.get(tier));
  }

  public Optional<RiskMeasure> measure(String riskCode) {
    return Optional.ofNullable(measures.get(riskCode));
  }

  /** Whether any rule has a churn minimum, so opening plans needs churn predictions. */
  public boolean needChurnRisk() {
    return tiers.values().stream().anyMatch(t -> t.churnGate().isSet())
        || measures.values().stream().anyMatch(m -> m.churnGate().isSet());
  }
}
