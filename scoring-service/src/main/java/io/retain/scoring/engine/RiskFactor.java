package io.retain.scoring.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;

/**
 * Why a customer is at risk: the rule that fired, the value and threshold, the points the linked
 * metric costs the score (null for rules not tied to a weighted metric), and for INSUFFICIENT_DATA
 * the components without data; a variant names a message other than the rule's usual one. It
 * carries no text: the message is rendered from its key and arguments when read, in the reader's
 * language, so stored warnings and documents render in either language. Factors stored with
 * messages ({@code messageEn}, {@code messageZh}, before 2026-11-30) read as well and render again
 * to the same text.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RiskFactor(
    Code code,
    Severity severity,
    Double value,
    Double threshold,
    Double pointsLost,
    List<String> missing,
    String variant) {

  /** NO_RECENT_PURCHASE for a customer with no counted order: the days count from joining. */
  public static final String SINCE_JOINING = "sinceJoining";

  /** A factor with the rule's usual message. */
  public RiskFactor(
      Code code,
      Severity severity,
      Double value,
      Double threshold,
      Double pointsLost,
      List<String> missing) {
    this(code, severity, value, threshold, pointsLost, missing, null);
  }

  /** Severity, most urgent first. */
  public enum Severity {
    HIGH,
    MEDIUM,
    LOW
  }

  /** The risk rules, in the order DOMAIN.md §5 lists them (ties sort in this order). */
  public enum Code {
    NO_RECENT_PURCHASE(Component.REPURCHASE, Shown.WHOLE),
    FREQUENCY_DROP(Component.FREQUENCY, Shown.DECIMALS_0),
    HIGH_COMPLAINT_RATE(Component.COMPLAINT, Shown.DECIMALS_1),
    LOW_NPS(Component.NPS, Shown.DECIMALS_0),
    VOLATILE_ORDER_VALUE(Component.STABILITY, Shown.DECIMALS_2),
    SLOW_SERVICE_RESPONSE(null, Shown.DECIMALS_0),
    UNRESOLVED_TICKETS(null, Shown.WHOLE),
    SCORE_DECLINE(null, Shown.DECIMALS_1),
    ACCOUNT_MANAGER_LEFT(null, Shown.WHOLE),
    LOW_SATISFACTION(null, Shown.DECIMALS_1),
    INSUFFICIENT_DATA(null, Shown.WHOLE);

    /** The weighted component this rule is about, if any. */
    public final Component component;

    /** How the value appears in the message. */
    public final Shown shown;

    Code(Component component, Shown shown) {
      this.component = component;
      this.shown = shown;
    }
  }

  /** A value as a message shows it: a whole count, or a fixed number of decimals (half-up). */
  public enum Shown {
    WHOLE,
    DECIMALS_0,
    DECIMALS_1,
    DECIMALS_2;

    public String format(double value) {
      return switch (this) {
        case WHOLE -> Long.toString(Math.round(value));
        case DECIMALS_0 -> String.format(Locale.ROOT, "%.0f", value);
        case DECIMALS_1 -> String.format(Locale.ROOT, "%.1f", value);
        case DECIMALS_2 -> String.format(Locale.ROOT, "%.2f", value);
      };
    }
  }

  /**
   * The message's key in {@code messages*.properties}: {@code risk.<CODE>}, {@code
   * risk.<CODE>.<variant>} for a variant (e.g. {@code risk.NO_RECENT_PURCHASE.sinceJoining}), or
   * for INSUFFICIENT_DATA naming its components {@code risk.INSUFFICIENT_DATA.missing}.
   */
  public String messageKey() {
    String suffix = missing != null ? ".missing" : variant != null ? "." + variant : "";
    return "risk." + code.name() + suffix;
  }

  /**
   * The message's arguments: the value as the rule shows it (none without a value); the missing
   * components are joined by the renderer, whose separator depends on the language.
   */
  public Object[] messageArguments() {
    return value == null ? new Object[0] : new Object[] {code.shown.format(value)};
  }
}
