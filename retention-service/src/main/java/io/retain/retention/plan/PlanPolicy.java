package io.retain.retention.plan;

import io.retain.retention.playbook.Playbooks;
import io.retain.retention.playbook.RiskMeasure;
import io.retain.retention.playbook.TierPlaybook;
import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.RiskFactor;
import io.retain.retention.remote.WarningEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Decides which action plans a warning opens (DOMAIN.md §8): effort by value tier, one plan per
 * HIGH/MEDIUM risk factor with a mapped measure, else the tier playbook; each rule only when its
 * {@link io.retain.retention.playbook.ChurnGate} admits the customer's churn probability. Pure: no
 * I/O.
 */
@Component
public class PlanPolicy {

  /** Problem code of a plan opened from the tier playbook. */
  public static String playbookProblem(String tier) {
    return "PLAYBOOK_" + tier;
  }

  /** The plans without a churn prediction for the customer. */
  public List<PlanDraft> plansFor(WarningEvent w, CustomerProfile profile, Playbooks playbooks) {
    return plansFor(w, profile, playbooks, null);
  }

  /**
   * The plans for a warning, {@code churnProbability} being the customer's under scoring's active
   * churn model (null: no prediction). A measure held back by its churn minimum still counts as
   * mapped, so the tier playbook does not replace it (ADR 0013).
   */
  public List<PlanDraft> plansFor(
      WarningEvent w,
      CustomerProfile profile,
      Playbooks playbooks,
      @Nullable Double churnProbability) {
    if (!worthAPlan(w.toTier(), profile)) {
      return List.of();
    }
    var due = w.asOf().plusDays("HIGH_RISK".equals(w.toTier()) ? 7 : 14);
    List<PlanDraft> plans = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    boolean mapped = false;
    for (RiskFactor f : w.riskFactors()) {
      boolean serious = "HIGH".equals(f.severity()) || "MEDIUM".equals(f.severity());
      if (!serious || !seen.add(f.code())) {
        continue;
      }
      var measure = playbooks.measure(f.code());
      if (measure.isPresent()) {
        mapped = true;
        if (measure.get().churnGate().admits(churnProbability)) {
          plans.add(fromMeasure(w, f, measure.get(), due));
        }
      }
    }
    if (!mapped) {
      playbooks
          .tier(w.toTier())
          .filter(p -> p.churnGate().admits(churnProbability))
          .ifPresent(p -> plans.add(fromPlaybook(w, p, due)));
    }
    return plans;
  }

  /** KEY/MAJOR: POTENTIAL_CHURN and HIGH_RISK; ORDINARY: HIGH_RISK; SMALL and NON_PAYMENT: none. */
  static boolean worthAPlan(String tier, CustomerProfile profile) {
    if (profile == null
        || (profile.churnReasons() != null && profile.churnReasons().contains("NON_PAYMENT"))) {
      return false;
    }
    boolean atRisk = "POTENTIAL_CHURN".equals(tier) || "HIGH_RISK".equals(tier);
    return switch (String.valueOf(profile.valueTier())) {
      case "KEY", "MAJOR" -> atRisk;
      case "ORDINARY" -> "HIGH_RISK".equals(tier);
      default -> false;
    };
  }

  private static PlanDraft fromMeasure(
      WarningEvent w, RiskFactor f, RiskMeasure m, java.time.LocalDate due) {
    String message =
        f.message() == null || f.message().isBlank()
            ? f.code() + " (" + f.severity() + ")"
            : f.message();
    return new PlanDraft(
        w.customerId(),
        w.toTier(),
        f.code(),
        message,
        w.seq(),
        m.measureEn(),
        m.measureZh(),
        m.department(),
        due,
        m.expectedEffect());
  }

  private static PlanDraft fromPlaybook(WarningEvent w, TierPlaybook p, java.time.LocalDate due) {
    return new PlanDraft(
        w.customerId(),
        w.toTier(),
        playbookProblem(w.toTier()),
        "Tier " + w.toTier() + " with no risk factor that maps to a measure",
        w.seq(),
        p.strategyEn(),
        p.strategyZh(),
        p.departments().get(0),
        due,
        p.expectedEffect());
  }
}
