package io.retain.retention.playbook;

import io.retain.retention.remote.ChurnRisk;
import io.retain.support.graphql.UserError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads playbooks (ANALYST) and edits them (ADMIN). */
@Controller
class PlaybookController {

  static final Set<String> TIERS = Set.of("DIEHARD", "STABLE", "POTENTIAL_CHURN", "HIGH_RISK");

  /** GraphQL input of an expected effect. */
  record ExpectedEffectInput(String metric, String comparator, double target, int withinDays) {
    ExpectedEffect toEffect() {
      return new ExpectedEffect(metric, comparator, BigDecimal.valueOf(target), withinDays);
    }
  }

  /** Input of updateTierPlaybook. */
  record UpdateTierPlaybookInput(
      String tier,
      String strategyEn,
      String strategyZh,
      List<String> departments,
      ExpectedEffectInput expectedEffect,
      @Nullable Double minChurnProbability,
      ChurnGate.@Nullable WithoutPrediction withoutChurnPrediction) {}

  /** Payload of updateTierPlaybook. */
  record UpdateTierPlaybookPayload(TierPlaybook playbook, List<UserError> errors) {}

  /** Input of setRiskMeasure. */
  record SetRiskMeasureInput(
      String riskCode,
      String measureEn,
      String measureZh,
      String department,
      ExpectedEffectInput expectedEffect,
      @Nullable Double minChurnProbability,
      ChurnGate.@Nullable WithoutPrediction withoutChurnPrediction) {}

  /** Payload of setRiskMeasure. */
  record SetRiskMeasurePayload(RiskMeasure measure, List<UserError> errors) {}

  private final PlaybookRepository repository;

  PlaybookController(PlaybookRepository repository) {
    this.repository = repository;
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<TierPlaybook> tierPlaybooks() {
    return repository.tiers();
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<RiskMeasure> riskMeasures() {
    return repository.measures();
  }

  @SchemaMapping(typeName = "ExpectedEffect", field = "target")
  double target(ExpectedEffect effect) {
    return effect.target().doubleValue();
  }

  @SchemaMapping(typeName = "TierPlaybook", field = "minChurnProbability")
  @Nullable Double tierMinChurnProbability(TierPlaybook p) {
    return minimum(p.churnGate());
  }

  @SchemaMapping(typeName = "TierPlaybook", field = "withoutChurnPrediction")
  ChurnGate.WithoutPrediction tierWithoutChurnPrediction(TierPlaybook p) {
    return p.churnGate().withoutPrediction();
  }

  @SchemaMapping(typeName = "RiskMeasure", field = "minChurnProbability")
  @Nullable Double measureMinChurnProbability(RiskMeasure m) {
    return minimum(m.churnGate());
  }

  @SchemaMapping(typeName = "RiskMeasure", field = "withoutChurnPrediction")
  ChurnGate.WithoutPrediction measureWithoutChurnPrediction(RiskMeasure m) {
    return m.churnGate().withoutPrediction();
  }

  private static @Nullable Double minimum(ChurnGate gate) {
    return gate.minProbability() == null ? null : gate.minProbability().doubleValue();
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<UpdateTierPlaybookPayload> updateTierPlaybook(@Argument UpdateTierPlaybookInput input) {
    List<UserError> errors = new ArrayList<>();
    if (!TIERS.contains(input.tier())) {
      errors.add(
          UserError.of(
              "NOT_FOUND",
              "input.tier",
              "No playbook for tier '" + input.tier() + "'; expected one of " + TIERS));
    }
    notBlank(errors, "input.strategyEn", input.strategyEn());
    notBlank(errors, "input.strategyZh", input.strategyZh());
    if (input.departments().isEmpty() || input.departments().stream().anyMatch(String::isBlank)) {
      errors.add(
          UserError.badInput("input.departments", null, "At least one department, none blank"));
    }
    validEffect(errors, input.expectedEffect());
    validGate(errors, input.minChurnProbability());
    if (!errors.isEmpty()) {
      return Mono.just(new UpdateTierPlaybookPayload(null, errors));
    }
    var playbook =
        new TierPlaybook(
            input.tier(),
            input.strategyEn().strip(),
            input.strategyZh().strip(),
            input.departments(),
            input.expectedEffect().toEffect(),
            gate(input.minChurnProbability(), input.withoutChurnPrediction()));
    return repository.updateTier(playbook).map(p -> new UpdateTierPlaybookPayload(p, List.of()));
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<SetRiskMeasurePayload> setRiskMeasure(@Argument SetRiskMeasureInput input) {
    List<UserError> errors = new ArrayList<>();
    if (!input.riskCode().matches("[A-Z][A-Z_]{1,63}")) {
      errors.add(
          UserError.badInput("input.riskCode", null, "A risk factor code in UPPER_SNAKE_CASE"));
    }
    notBlank(errors, "input.measureEn", input.measureEn());
    notBlank(errors, "input.measureZh", input.measureZh());
    notBlank(errors, "input.department", input.department());
    validEffect(errors, input.expectedEffect());
    validGate(errors, input.minChurnProbability());
    if (!errors.isEmpty()) {
      return Mono.just(new SetRiskMeasurePayload(null, errors));
    }
    var measure =
        new RiskMeasure(
            input.riskCode(),
            input.measureEn().strip(),
            input.measureZh().strip(),
            input.department().strip(),
            input.expectedEffect().toEffect(),
            gate(input.minChurnProbability(), input.withoutChurnPrediction()));
    return repository.upsertMeasure(measure).map(m -> new SetRiskMeasurePayload(m, List.of()));
  }

  private static void validGate(List<UserError> errors, @Nullable Double minimum) {
    UserError error = ChurnRisk.checkMinimum("input.minChurnProbability", minimum);
    if (error != null) {
      errors.add(error);
    }
  }

  /** The gate of an edit; an absent minimum removes it, an absent default is OPEN. */
  private static ChurnGate gate(
      @Nullable Double minimum, ChurnGate.@Nullable WithoutPrediction withoutPrediction) {
    return new ChurnGate(
        minimum == null ? null : BigDecimal.valueOf(minimum),
        withoutPrediction == null ? ChurnGate.WithoutPrediction.OPEN : withoutPrediction);
  }

  private static void notBlank(List<UserError> errors, String field, String value) {
    if (value == null || value.isBlank()) {
      errors.add(UserError.badInput(field, null, "Must not be blank"));
    }
  }

  private static void validEffect(List<UserError> errors, ExpectedEffectInput e) {
    if (e.withinDays() < 1 || e.withinDays() > 365) {
      errors.add(
          UserError.badInput(
              "input.expectedEffect.withinDays", null, "Must be between 1 and 365 days"));
    }
    if (!Double.isFinite(e.target())) {
      errors.add(
          UserError.badInput("input.expectedEffect.target", null, "Must be a finite number"));
    }
    if ((e.metric().equals("COMPLAINT_RATE")) && (e.target() < 0 || e.target() > 100)) {
      errors.add(
          UserError.badInput(
              "input.expectedEffect.target", null, "A complaint rate is 0–100 percent"));
    }
  }
}
