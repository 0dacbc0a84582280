package io.retain.retention.remote;

import io.retain.support.graphql.UserError;
import org.jspecify.annotations.Nullable;

/**
 * A customer's churn probability under scoring's active churn model ({@code Customer.churnRisk},
 * DOMAIN.md §10.2), and the rule every "minimum churn probability" input shares.
 */
public record ChurnRisk(String customerId, double probability, int modelVersion) {

  /** What a minimum churn probability must be (campaign targets and playbook rules). */
  public static final String MINIMUM_EXPECTED = "a probability from 0 to 1";

  /** The error for a minimum churn probability outside 0..1 (or not finite); null when valid. */
  public static @Nullable UserError checkMinimum(String field, @Nullable Double minimum) {
    if (minimum == null || (minimum >= 0 && minimum <= 1)) {
      return null;
    }
    return UserError.badInput(
        field,
        MINIMUM_EXPECTED,
        "A minimum churn probability of " + minimum + " is outside 0 to 1");
  }
}
