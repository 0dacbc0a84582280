package io.retain.scoring.engine;

import io.retain.scoring.engine.RiskFactor.Code;
import io.retain.scoring.engine.RiskFactor.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One row of DOMAIN.md §5: a rule reads one input, compares it with its thresholds, most severe
 * first, and the first threshold it crosses gives the factor's severity.
 */
public record RiskRule(
    Code code,
    Function<RiskInputs, @Nullable Double> input,
    Comparison fires,
    List<Level> levels,
    Function<RiskInputs, @Nullable String> variant) {

  /** How a value is compared with a threshold; the table says which, so no rule picks silently. */
  public enum Comparison {
    AT_LEAST,
    ABOVE,
    BELOW;

    boolean test(double value, double threshold) {
      return switch (this) {
        case AT_LEAST -> value >= threshold;
        case ABOVE -> value > threshold;
        case BELOW -> value < threshold;
      };
    }
  }

  /** A threshold and the severity a value past it gets. */
  public record Level(Severity severity, double threshold) {}

  /** DOMAIN.md §5 with its default thresholds, in its order (ties sort in this order). */
  public static final List<RiskRule> TABLE =
      List.of(
          rule(Code.NO_RECENT_PURCHASE, RiskInputs::daysSinceLastOrder, Comparison.AT_LEAST, 90, 60)
              .withVariant(in -> in.neverOrdered() ? RiskFactor.SINCE_JOINING : null),
          rule(Code.FREQUENCY_DROP, RiskInputs::frequencyDropPercent, Comparison.AT_LEAST, 50, 30),
          rule(Code.HIGH_COMPLAINT_RATE, RiskInputs::complaintRate, Comparison.ABOVE, 15, 5),
          rule(Code.LOW_NPS, RiskInputs::nps, Comparison.BELOW, 0, 30),
          rule(
              Code.VOLATILE_ORDER_VALUE,
              RiskInputs::orderValueStability,
              Comparison.BELOW,
              new Level(Severity.LOW, 0.5)),
          rule(
              Code.SLOW_SERVICE_RESPONSE,
              RiskInputs::meanFirstResponseHours,
              Comparison.ABOVE,
              new Level(Severity.MEDIUM, 48)),
          rule(
              Code.UNRESOLVED_TICKETS, RiskInputs::ticketsOpenOver7Days, Comparison.AT_LEAST, 3, 1),
          rule(Code.SCORE_DECLINE, RiskInputs::scoreFell, Comparison.AT_LEAST, 20, 10),
          rule(
              Code.ACCOUNT_MANAGER_LEFT,
              RiskInputs::daysSinceManagerChange,
              Comparison.BELOW,
              new Level(Severity.MEDIUM, 90)),
          rule(
              Code.LOW_SATISFACTION,
              RiskInputs::csatMean,
              Comparison.BELOW,
              new Level(Severity.MEDIUM, 3)));

  /** The factor this rule gives for the inputs, or null when it does not fire. */
  public @Nullable RiskFactor evaluate(RiskInputs in, Map<Component, Double> pointsLost) {
    Double value = input.apply(in);
    if (value == null) {
      return null;
    }
    for (Level level : levels) {
      if (fires.test(value, level.threshold())) {
        Double lost = code.component == null ? null : pointsLost.get(code.component);
        return new RiskFactor(
            code, level.severity(), value, level.threshold(), lost, null, variant.apply(in));
      }
    }
    return null;
  }

  /** Every rule of the table that fires, in the table's order. */
  public static List<RiskFactor> evaluateAll(RiskInputs in, Map<Component, Double> pointsLost) {
    List<RiskFactor> factors = new ArrayList<>();
    for (RiskRule rule : TABLE) {
      RiskFactor f = rule.evaluate(in, pointsLost);
      if (f != null) {
        factors.add(f);
      }
    }
    return factors;
  }

  /** Severity first, then the order of DOMAIN.md §5's table, as the worked example pins. */
  public static final Comparator<RiskFactor> BY_SEVERITY_THEN_TABLE =
      Comparator.comparing(RiskFactor::severity).thenComparing(f -> f.code().ordinal());

  /** This rule with a message variant chosen from the inputs. */
  RiskRule withVariant(Function<RiskInputs, @Nullable String> chosen) {
    return new RiskRule(code, input, fires, levels, chosen);
  }

  /** A two-level rule: HIGH past {@code high}, MEDIUM past {@code medium}. */
  private static RiskRule rule(
      Code code,
      Function<RiskInputs, @Nullable Double> input,
      Comparison c,
      double high,
      double medium) {
    return new RiskRule(
        code,
        input,
        c,
        List.of(new Level(Severity.HIGH, high), new Level(Severity.MEDIUM, medium)),
        in -> null);
  }

  private static RiskRule rule(
      Code code, Function<RiskInputs, @Nullable Double> input, Comparison c, Level only) {
    return new RiskRule(code, input, c, List.of(only), in -> null);
  }
}
