package io.retain.retention.plan;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which plans a warning opens (DOMAIN.md §8), as a pure function. Effort follows value: KEY and
 * MAJOR customers get plans for POTENTIAL_CHURN and HIGH_RISK, ORDINARY only for HIGH_RISK, SMALL
 * none, and a customer who left for NON_PAYMENT none. The problems are the HIGH and MEDIUM risk
 * factors that have a measure; when none maps, the tier's playbook is the plan.
 */
public final class PlanPolicy {

  private PlanPolicy() {}

  /** A measure for a risk factor, with its department and expected effect. */
  public record Measure(
      String riskCode,
      String textEn,
      String department,
      String metric,
      String comparator,
      Double target,
      Integer withinDays) {}

  /** A tier's playbook. */
  public record Playbook(String tier, String strategyEn, List<String> departments) {}

  /** A plan to open. */
  public record Draft(
      String customerId,
      String tier,
      String problemCode,
      String problemMessage,
      String measures,
      String department,
      LocalDate dueDate,
      Measure effect) {}

  /** Profile facts the policy needs. */
  public record Profile(String valueTier, List<String> churnReasons) {}

  public static List<Draft> plansFor(
      WarningEvent w, Profile profile, Map<String, Measure> measures, Map<String, Playbook> playbooks) {
    String tier = w.toTier();
    if (!eligible(profile, tier)) {
      return List.of();
    }
    LocalDate due = w.asOf().plusDays(tier.equals("HIGH_RISK") ? 7 : 14);
    List<Draft> out = new ArrayList<>();
    for (WarningEvent.Factor f : w.riskFactors()) {
      Measure m = measures.get(f.code());
      if (m != null && Set.of("HIGH", "MEDIUM").contains(f.severity())) {
        out.add(
            new Draft(w.customerId(), tier, f.code(), f.message(), m.textEn(), m.department(), due, m));
      }
    }
    if (out.isEmpty() && playbooks.containsKey(tier)) {
      Playbook p = playbooks.get(tier);
      out.add(
          new Draft(
              w.customerId(),
              tier,
              "TIER_" + tier,
              "Customer moved to " + tier,
              p.strategyEn(),
              p.departments().get(0),
              due,
              null));
    }
    return out;
  }

  static boolean eligible(Profile profile, String tier) {
    if (profile == null || profile.churnReasons().contains("NON_PAYMENT")) {
      return false;
    }
    return switch (profile.valueTier()) {
      case "KEY", "MAJOR" -> tier.equals("POTENTIAL_CHURN") || tier.equals("HIGH_RISK");
      case "ORDINARY" -> tier.equals("HIGH_RISK");
      default -> false;
    };
  }
}
