package io.retain.retention.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.retention.playbook.ChurnGate;
import io.retain.retention.playbook.ExpectedEffect;
import io.retain.retention.playbook.Playbooks;
import io.retain.retention.playbook.RiskMeasure;
import io.retain.retention.playbook.TierPlaybook;
import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.RiskFactor;
import io.retain.retention.remote.WarningEvent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan-opening policy and the playbook rules' churn gates, without a database. */
class PlanPolicyTest {

  static final ExpectedEffect EFFECT = new ExpectedEffect("ORDERS", "GTE", BigDecimal.ONE, 30);
  static final Playbooks PLAYBOOKS =
      new Playbooks(
          Map.of(
              "POTENTIAL_CHURN",
              new TierPlaybook("POTENTIAL_CHURN", "care", "关怀", List.of("MARKETING"), EFFECT),
              "HIGH_RISK",
              new TierPlaybook(
                  "HIGH_RISK", "interview", "访谈", List.of("CUSTOMER_SUCCESS"), EFFECT)),
          Map.of(
              "LOW_NPS",
              new RiskMeasure("LOW_NPS", "call", "电话", "CUSTOMER_SUCCESS", EFFECT),
              "VOLATILE_ORDER_VALUE",
              new RiskMeasure("VOLATILE_ORDER_VALUE", "x", "x", "SALES", EFFECT)));

  final PlanPolicy policy = new PlanPolicy();

  static WarningEvent warning(String tier, RiskFactor... factors) {
    return new WarningEvent(
        7,
        "C9",
        LocalDate.parse("2026-06-30"),
        null,
        null,
        tier,
        null,
        50.0,
        List.of("FIRST_ASSESSMENT_AT_RISK"),
        List.of(factors));
  }

  static CustomerProfile profile(String valueTier, String... churnReasons) {
    return new CustomerProfile(
        "C9", "ENTERPRISE", "RETAIL", valueTier, null, "ACTIVE", null, List.of(churnReasons));
  }

  static RiskFactor factor(String code, String severity) {
    return new RiskFactor(code, severity, null, null, null, code + " fired");
  }

  @Test
  void mappedHighOrMediumFactorsBecomeOnePlanEach() {
    var plans =
        policy.plansFor(
            warning(
                "HIGH_RISK", factor("LOW_NPS", "MEDIUM"), factor("VOLATILE_ORDER_VALUE", "LOW")),
            profile("KEY"),
            PLAYBOOKS);
    assertThat(plans).extracting(PlanDraft::problemCode).containsExactly("LOW_NPS");
    assertThat(plans.get(0).problemMessage()).isEqualTo("LOW_NPS fired");
    assertThat(plans.get(0).dueDate()).isEqualTo(LocalDate.parse("2026-07-07"));
    assertThat(plans.get(0).warningSeq()).isEqualTo(7L);
  }

  @Test
  void withoutAMappedFactorTheTierPlaybookIsThePlan() {
    var plans =
        policy.plansFor(
            warning("POTENTIAL_CHURN", factor("SCORE_DECLINE", "HIGH")),
            profile("MAJOR"),
            PLAYBOOKS);
    assertThat(plans)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.problemCode()).isEqualTo("PLAYBOOK_POTENTIAL_CHURN");
              assertThat(p.measuresEn()).isEqualTo("care");
              assertThat(p.department()).isEqualTo("MARKETING");
              assertThat(p.dueDate()).isEqualTo(LocalDate.parse("2026-07-14"));
            });
  }

  @Test
  void effortFollowsValueTier() {
    var potential = warning("POTENTIAL_CHURN", factor("LOW_NPS", "HIGH"));
    var high = warning("HIGH_RISK", factor("LOW_NPS", "HIGH"));
    assertThat(policy.plansFor(potential, profile("KEY"), PLAYBOOKS)).hasSize(1);
    assertThat(policy.plansFor(potential, profile("MAJOR"), PLAYBOOKS)).hasSize(1);
    assertThat(policy.plansFor(potential, profile("ORDINARY"), PLAYBOOKS)).isEmpty();
    assertThat(policy.plansFor(high, profile("ORDINARY"), PLAYBOOKS)).hasSize(1);
    assertThat(policy.plansFor(high, profile("SMALL"), PLAYBOOKS)).isEmpty();
    assertThat(policy.plansFor(warning("STABLE"), profile("KEY"), PLAYBOOKS)).isEmpty();
  }

  @Test
  void customersChurnedForNonPaymentGetNoPlan() {
    var high = warning("HIGH_RISK", factor("LOW_NPS", "HIGH"));
    assertThat(policy.plansFor(high, profile("KEY", "NON_PAYMENT"), PLAYBOOKS)).isEmpty();
    assertThat(policy.plansFor(high, profile("KEY", "PRICE"), PLAYBOOKS)).hasSize(1);
  }

  static ChurnGate gate(String minimum, ChurnGate.WithoutPrediction withoutPrediction) {
    return new ChurnGate(new BigDecimal(minimum), withoutPrediction);
  }

  /** LOW_NPS's measure opens from 0.6, the HIGH_RISK playbook from 0.3 (SKIP without one). */
  static final Playbooks GATED =
      new Playbooks(
          Map.of(
              "HIGH_RISK",
              new TierPlaybook(
                  "HIGH_RISK",
                  "interview",
                  "访谈",
                  List.of("CUSTOMER_SUCCESS"),
                  EFFECT,
                  gate("0.3", ChurnGate.WithoutPrediction.SKIP))),
          Map.of(
              "LOW_NPS",
              new RiskMeasure(
                  "LOW_NPS",
                  "call",
                  "电话",
                  "CUSTOMER_SUCCESS",
                  EFFECT,
                  gate("0.6", ChurnGate.WithoutPrediction.OPEN)),
              "FREQUENCY_DROP",
              new RiskMeasure("FREQUENCY_DROP", "coupon", "优惠券", "MARKETING", EFFECT)));

  List<String> problems(WarningEvent w, Double churnProbability) {
    return policy.plansFor(w, profile("KEY"), GATED, churnProbability).stream()
        .map(PlanDraft::problemCode)
        .toList();
  }

  @Test
  void aGatedMeasureOpensFromItsMinimumChurnProbabilityAndOthersAreUnaffected() {
    var w = warning("HIGH_RISK", factor("LOW_NPS", "HIGH"), factor("FREQUENCY_DROP", "MEDIUM"));
    assertThat(problems(w, 0.6)).containsExactly("LOW_NPS", "FREQUENCY_DROP");
    assertThat(problems(w, 0.95)).containsExactly("LOW_NPS", "FREQUENCY_DROP");
    assertThat(problems(w, 0.5999)).containsExactly("FREQUENCY_DROP");
    assertThat(problems(w, 0.0)).containsExactly("FREQUENCY_DROP");
    // without a prediction LOW_NPS's default (OPEN) applies
    assertThat(problems(w, null)).containsExactly("LOW_NPS", "FREQUENCY_DROP");
  }

  @Test
  void aMeasureHeldBackByItsMinimumIsNotReplacedByTheTierPlaybook() {
    var w = warning("HIGH_RISK", factor("LOW_NPS", "HIGH"));
    assertThat(problems(w, 0.7)).containsExactly("LOW_NPS");
    // 0.4 reaches the playbook's 0.3 but LOW_NPS is mapped: nothing opens in its place
    assertThat(problems(w, 0.4)).isEmpty();
  }

  @Test
  void aGatedTierPlaybookOpensFromItsMinimumAndSkipsCustomersWithoutAPrediction() {
    var w = warning("HIGH_RISK", factor("SCORE_DECLINE", "HIGH"));
    assertThat(problems(w, 0.3)).containsExactly("PLAYBOOK_HIGH_RISK");
    assertThat(problems(w, 0.29)).isEmpty();
    assertThat(problems(w, null)).isEmpty();
    // the gate never widens the value-tier rule: SMALL customers still get nothing
    assertThat(policy.plansFor(w, profile("SMALL"), GATED, 0.99)).isEmpty();
  }

  @Test
  void aRuleWithoutAMinimumOpensWhateverTheChurnProbability() {
    assertThat(ChurnGate.NONE.admits(null)).isTrue();
    assertThat(ChurnGate.NONE.admits(0.0)).isTrue();
    assertThat(gate("0.5", ChurnGate.WithoutPrediction.OPEN).admits(0.5)).isTrue();
    assertThat(gate("0.5", ChurnGate.WithoutPrediction.OPEN).admits(0.49)).isFalse();
    assertThat(gate("0.5", ChurnGate.WithoutPrediction.SKIP).admits(null)).isFalse();
    assertThat(gate("0.5", ChurnGate.WithoutPrediction.OPEN).admits(null)).isTrue();
    var w = warning("HIGH_RISK", factor("LOW_NPS", "HIGH"));
    assertThat(policy.plansFor(w, profile("KEY"), PLAYBOOKS, 0.0)).hasSize(1);
    assertThat(policy.plansFor(w, profile("KEY"), PLAYBOOKS, null)).hasSize(1);
  }

  @Test
  void onlyForwardTransitionsAndCancellingOpenPlansAreAllowed() {
    assertThat(PlanStatus.PLANNED.canMoveTo(PlanStatus.IN_PROGRESS)).isTrue();
    assertThat(PlanStatus.IN_PROGRESS.canMoveTo(PlanStatus.DONE)).isTrue();
    assertThat(PlanStatus.PLANNED.canMoveTo(PlanStatus.CANCELLED)).isTrue();
    assertThat(PlanStatus.IN_PROGRESS.canMoveTo(PlanStatus.CANCELLED)).isTrue();
    assertThat(PlanStatus.PLANNED.canMoveTo(PlanStatus.DONE)).isFalse();
    assertThat(PlanStatus.DONE.canMoveTo(PlanStatus.IN_PROGRESS)).isFalse();
    assertThat(PlanStatus.CANCELLED.canMoveTo(PlanStatus.PLANNED)).isFalse();
    assertThat(PlanStatus.IN_PROGRESS.canMoveTo(PlanStatus.PLANNED)).isFalse();
  }
}
