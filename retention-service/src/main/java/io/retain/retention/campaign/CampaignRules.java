package io.retain.retention.campaign;

import io.retain.retention.remote.ChurnRisk;
import io.retain.support.graphql.UserError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates a campaign draft; every problem is reported, each with the field and what is expected.
 */
final class CampaignRules {

  static final List<String> TIERS =
      List.of("DIEHARD", "STABLE", "POTENTIAL_CHURN", "HIGH_RISK", "NEW", "UNSCORED");
  static final List<String> RISK_CODES =
      List.of(
          "NO_RECENT_PURCHASE",
          "FREQUENCY_DROP",
          "HIGH_COMPLAINT_RATE",
          "LOW_NPS",
          "VOLATILE_ORDER_VALUE",
          "SLOW_SERVICE_RESPONSE",
          "UNRESOLVED_TICKETS",
          "SCORE_DECLINE",
          "ACCOUNT_MANAGER_LEFT",
          "LOW_SATISFACTION",
          "INSUFFICIENT_DATA");
  static final List<String> KINDS = List.of("INDIVIDUAL", "ENTERPRISE");
  static final List<String> VALUE_TIERS = List.of("KEY", "MAJOR", "ORDINARY", "SMALL");
  static final List<String> RFM_SEGMENTS =
      List.of(
          "CHAMPIONS",
          "LOYAL",
          "POTENTIAL_LOYALIST",
          "NEW_CUSTOMER",
          "PROMISING",
          "NEEDS_ATTENTION",
          "ABOUT_TO_SLEEP",
          "AT_RISK",
          "CANT_LOSE",
          "HIBERNATING",
          "LOST");
  static final List<String> CHANNELS =
      List.of("EMAIL", "SMS", "PHONE", "APP_PUSH", "WECHAT", "IN_PERSON");
  static final BigDecimal MAX_HOLDOUT = new BigDecimal("0.5");

  private CampaignRules() {}

  static List<UserError> validate(CampaignDraft d) {
    List<UserError> errors = new ArrayList<>();
    notBlank(errors, "input.name", d.name());
    notBlank(errors, "input.objective", d.objective());
    notBlank(errors, "input.offer", d.offer());
    oneOf(errors, "input.channel", List.of(d.channel()), CHANNELS);
    if (d.endDate().isBefore(d.startDate())) {
      errors.add(
          UserError.badInput(
              "input.endDate",
              "a date on or after " + d.startDate(),
              "The end " + d.endDate() + " is before the start " + d.startDate()));
    }
    if (d.holdoutShare().signum() < 0 || d.holdoutShare().compareTo(MAX_HOLDOUT) > 0) {
      errors.add(
          UserError.badInput(
              "input.holdoutShare",
              "0 to 0.5",
              "A holdout share of "
                  + d.holdoutShare().stripTrailingZeros().toPlainString()
                  + " is outside 0 to 0.5 (at most half the members may be held out)"));
    }
    CampaignTarget t = d.target();
    oneOf(errors, "input.target.tiers", t.tiers(), TIERS);
    oneOf(errors, "input.target.riskCodes", t.riskCodes(), RISK_CODES);
    oneOf(errors, "input.target.kinds", t.kinds(), KINDS);
    oneOf(errors, "input.target.valueTiers", t.valueTiers(), VALUE_TIERS);
    oneOf(errors, "input.target.rfmSegments", t.rfmSegments(), RFM_SEGMENTS);
    UserError churn =
        ChurnRisk.checkMinimum("input.target.minChurnProbability", t.minChurnProbability());
    if (churn != null) {
      errors.add(churn);
    }
    if (t.industries().stream().anyMatch(String::isBlank)) {
      errors.add(
          UserError.badInput(
              "input.target.industries", "industry names, none blank", "An industry is blank"));
    }
    return errors;
  }

  private static void notBlank(List<UserError> errors, String field, String value) {
    if (value == null || value.isBlank()) {
      errors.add(UserError.badInput(field, "a non-blank text", "Must not be blank"));
    }
  }

  private static void oneOf(
      List<UserError> errors, String field, List<String> values, List<String> allowed) {
    Set<String> ok = Set.copyOf(allowed);
    List<String> unknown = values.stream().filter(v -> v == null || !ok.contains(v)).toList();
    if (!unknown.isEmpty()) {
      errors.add(
          UserError.badInput(
              field,
              "one of " + String.join(", ", allowed),
              "Unknown value" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)));
    }
  }
}
