package io.retain.scoring.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;

/**
 * Why a customer is at risk: the rule that fired, the value and threshold, the points the linked
 * metric costs the score (null for rules not tied to a weighted metric), and for INSUFFICIENT_DATA
 * the components without data. The message is rendered from these when it is read, in the reader's
 * language: a warning stores its factors, and a rescoring used to format two messages per factor
 * that were mostly never read. Factors stored with messages ({@code messageEn}, {@code messageZh},
 * before 2026-11-30) read as well; theirs are rendered again, to the same text.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RiskFactor(
    Code code,
    Severity severity,
    Double value,
    Double threshold,
    Double pointsLost,
    List<String> missing) {

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

  /** The message in English, or in Chinese (zh-CN). */
  public String message(boolean chinese) {
    return switch (code) {
      case NO_RECENT_PURCHASE ->
          chinese ? "已 %d 天未下单".formatted(whole()) : "No order for %d days".formatted(whole());
      case FREQUENCY_DROP ->
          format(
              chinese
                  ? "近 3 个月订单比以往水平下降 %.0f%%"
                  : "Orders in the last 3 months fell %.0f%% below the usual rate");
      case HIGH_COMPLAINT_RATE -> format(chinese ? "投诉率 %.1f%%" : "Complaints on %.1f%% of orders");
      case LOW_NPS -> format(chinese ? "净推荐值为 %.0f" : "NPS is %.0f");
      case VOLATILE_ORDER_VALUE ->
          format(chinese ? "客单价波动大（稳定性 %.2f）" : "Order values swing widely (stability %.2f)");
      case SLOW_SERVICE_RESPONSE ->
          format(
              chinese
                  ? "工单平均 %.0f 小时才首次响应"
                  : "Tickets wait %.0f h on average for a first response");
      case UNRESOLVED_TICKETS ->
          (chinese ? "%d 个工单超过 7 天未解决" : "%d ticket(s) open for 7 days or more").formatted(whole());
      case SCORE_DECLINE -> format(chinese ? "评分下降 %.1f 分" : "Score fell %.1f points");
      case ACCOUNT_MANAGER_LEFT ->
          (chinese ? "客户经理 %d 天前变更" : "Account manager changed %d days ago").formatted(whole());
      case LOW_SATISFACTION -> format(chinese ? "满意度 %.1f / 5" : "Satisfaction %.1f of 5");
      case INSUFFICIENT_DATA ->
          missing == null
              ? (chinese ? "数据不足" : "Not enough data")
              : chinese
                  ? "数据不足：" + String.join("、", missing)
                  : "Not enough data for " + String.join(", ", missing);
    };
  }

  private String format(String template) {
    return String.format(Locale.ROOT, template, value);
  }

  private long whole() {
    return Math.round(value);
  }
}
