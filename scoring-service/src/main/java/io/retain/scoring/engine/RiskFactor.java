package io.retain.scoring.engine;

/**
 * Why a customer is at risk: the rule that fired, the value and threshold, the points the linked
 * metric costs the score (null for rules not tied to a weighted metric), and a message.
 */
public record RiskFactor(
    Code code,
    Severity severity,
    Double value,
    Double threshold,
    Double pointsLost,
    String messageEn,
    String messageZh) {

  /** Severity, most urgent first. */
  public enum Severity {
    HIGH,
    MEDIUM,
    LOW
  }

  /** The risk rules, in the order DOMAIN.md §5 lists them (ties sort in this order). */
  public enum Code {
    NO_RECENT_PURCHASE(Component.REPURCHASE),
    FREQUENCY_DROP(Component.FREQUENCY),
    HIGH_COMPLAINT_RATE(Component.COMPLAINT),
    LOW_NPS(Component.NPS),
    VOLATILE_ORDER_VALUE(Component.STABILITY),
    SLOW_SERVICE_RESPONSE(null),
    UNRESOLVED_TICKETS(null),
    SCORE_DECLINE(null),
    ACCOUNT_MANAGER_LEFT(null),
    LOW_SATISFACTION(null),
    INSUFFICIENT_DATA(null);

    /** The weighted component this rule is about, if any. */
    public final Component component;

    Code(Component component) {
      this.component = component;
    }
  }

  public String message(boolean chinese) {
    return chinese ? messageZh : messageEn;
  }
}
