package io.retain.retention.playbook;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A playbook rule's churn condition: its action opens only for customers whose churn probability
 * under scoring's active model is at least {@code minProbability}. Without a prediction (no active
 * model, or none for the customer) {@code withoutPrediction} decides; the default OPEN keeps the
 * rule working as before a model existed ({@code docs/adr/0013-churn-targeting.md}). Pure.
 */
public record ChurnGate(@Nullable BigDecimal minProbability, WithoutPrediction withoutPrediction) {

  /** What a gated rule does for a customer without a churn prediction. */
  public enum WithoutPrediction {
    /** The action opens, as if the rule had no minimum. */
    OPEN,
    /** The action does not open. */
    SKIP
  }

  /** No minimum: the rule always opens. */
  public static final ChurnGate NONE = new ChurnGate(null, WithoutPrediction.OPEN);

  /** Whether a minimum is set, so a prediction must be asked for. */
  public boolean isSet() {
    return minProbability != null;
  }

  /**
   * Whether the rule's action opens for a customer with this churn probability ({@code null}: no
   * prediction).
   */
  public boolean admits(@Nullable Double probability) {
    if (minProbability == null) {
      return true;
    }
    if (probability == null) {
      return withoutPrediction == WithoutPrediction.OPEN;
    }
    return BigDecimal.valueOf(probability).compareTo(minProbability) >= 0;
  }
}
