package io.retain.scoring.messages;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.engine.RiskFactor.Code;
import io.retain.scoring.engine.RiskFactor.Severity;
import io.retain.scoring.engine.Tier;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The bundles render every code and tier exactly as the code did before they moved into {@code
 * messages*.properties} (the {@link Legacy} copy below), in English and zh-CN, for values across
 * each rule's range; and the caller's locale picks the language as it did.
 */
class TextsTest {

  static final Texts TEXTS = Bundles.texts();
  static final Locale EN = Texts.locale("en", null);
  static final Locale ZH = Texts.locale("zh-CN", null);

  @Property(tries = 2000)
  void everyCodeRendersAsBefore(@ForAll("factors") RiskFactor f) {
    assertThat(TEXTS.riskMessage(f, EN)).isEqualTo(Legacy.message(f, false));
    assertThat(TEXTS.riskMessage(f, ZH)).isEqualTo(Legacy.message(f, true));
  }

  @Provide
  Arbitrary<RiskFactor> factors() {
    Arbitrary<Double> values =
        Arbitraries.oneOf(
            Arbitraries.doubles().between(-100, 1000),
            Arbitraries.doubles().between(-100, 1000).ofScale(2),
            Arbitraries.doubles().between(0, 200).ofScale(1).map(d -> d + 0.05),
            Arbitraries.doubles().between(0, 200).ofScale(0).map(d -> d + 0.5),
            Arbitraries.of(0.0, -0.0, -0.4, -0.5, 0.5, 2.5, 0.125, 0.005, 16.666667, 57.142857));
    Arbitrary<RiskFactor> valued =
        Arbitraries.of(Code.class)
            .filter(c -> c != Code.INSUFFICIENT_DATA)
            .flatMap(
                c ->
                    values
                        .map(
                            v ->
                                c == Code.NO_RECENT_PURCHASE
                                        || c == Code.UNRESOLVED_TICKETS
                                        || c == Code.ACCOUNT_MANAGER_LEFT
                                    ? Math.abs(v)
                                    : v)
                        .map(v -> new RiskFactor(c, Severity.MEDIUM, v, 1.0, null, null)));
    Arbitrary<RiskFactor> insufficient =
        Arbitraries.of("repurchase", "stability", "frequency", "nps", "complaint", "tenure")
            .list()
            .ofMinSize(1)
            .ofMaxSize(6)
            .uniqueElements()
            .injectNull(0.2)
            .map(m -> new RiskFactor(Code.INSUFFICIENT_DATA, Severity.LOW, null, null, null, m));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, valued), net.jqwik.api.Tuple.of(1, insufficient));
  }

  @Example
  void everyTierLabelAsBefore() {
    for (Tier t : Tier.values()) {
      assertThat(TEXTS.tierLabel(t, EN)).isEqualTo(Legacy.tierLabel(t, false));
      assertThat(TEXTS.tierLabel(t, ZH)).isEqualTo(Legacy.tierLabel(t, true));
    }
  }

  @Example
  void theArgumentWinsOverTheRequestAndAnyChineseReadsZhCn() {
    assertThat(Texts.locale("zh-CN", Locale.ENGLISH)).isEqualTo(Locale.SIMPLIFIED_CHINESE);
    assertThat(Texts.locale("ZH-tw", null)).isEqualTo(Locale.SIMPLIFIED_CHINESE);
    assertThat(Texts.locale("en", Locale.SIMPLIFIED_CHINESE)).isEqualTo(Locale.ROOT);
    assertThat(Texts.locale(null, Locale.TRADITIONAL_CHINESE)).isEqualTo(Locale.SIMPLIFIED_CHINESE);
    assertThat(Texts.locale(null, Locale.FRENCH)).isEqualTo(Locale.ROOT);
    assertThat(Texts.locale(null, null)).isEqualTo(Locale.ROOT);
  }

  @Example
  void englishCallersReadEnglishOnAServerWhoseDefaultLocaleIsChinese() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
      Texts fresh = Bundles.texts();
      assertThat(fresh.tierLabel(Tier.HIGH_RISK, Texts.locale("en", null)))
          .isEqualTo("High churn risk");
      assertThat(fresh.tierLabel(Tier.HIGH_RISK, Texts.locale(null, Locale.GERMAN)))
          .isEqualTo("High churn risk");
    } finally {
      Locale.setDefault(before);
    }
  }

  /** The texts as RiskFactor and Tier produced them before the bundles (2026-12-07). */
  static final class Legacy {

    static String tierLabel(Tier t, boolean chinese) {
      return switch (t) {
        case DIEHARD -> chinese ? "铁杆忠诚" : "Diehard loyal";
        case STABLE -> chinese ? "稳定忠诚" : "Stable loyal";
        case POTENTIAL_CHURN -> chinese ? "潜在流失" : "Potential churn";
        case HIGH_RISK -> chinese ? "高风险流失" : "High churn risk";
        case NEW -> chinese ? "新客户" : "New customer";
        case UNSCORED -> chinese ? "数据不足" : "Not enough data";
      };
    }

    static String message(RiskFactor f, boolean chinese) {
      Double value = f.value();
      List<String> missing = f.missing();
      return switch (f.code()) {
        case NO_RECENT_PURCHASE ->
            chinese
                ? "已 %d 天未下单".formatted(Math.round(value))
                : "No order for %d days".formatted(Math.round(value));
        case FREQUENCY_DROP ->
            format(
                chinese
                    ? "近 3 个月订单比以往水平下降 %.0f%%"
                    : "Orders in the last 3 months fell %.0f%% below the usual rate",
                value);
        case HIGH_COMPLAINT_RATE ->
            format(chinese ? "投诉率 %.1f%%" : "Complaints on %.1f%% of orders", value);
        case LOW_NPS -> format(chinese ? "净推荐值为 %.0f" : "NPS is %.0f", value);
        case VOLATILE_ORDER_VALUE ->
            format(
                chinese ? "客单价波动大（稳定性 %.2f）" : "Order values swing widely (stability %.2f)", value);
        case SLOW_SERVICE_RESPONSE ->
            format(
                chinese
                    ? "工单平均 %.0f 小时才首次响应"
                    : "Tickets wait %.0f h on average for a first response",
                value);
        case UNRESOLVED_TICKETS ->
            (chinese ? "%d 个工单超过 7 天未解决" : "%d ticket(s) open for 7 days or more")
                .formatted(Math.round(value));
        case SCORE_DECLINE -> format(chinese ? "评分下降 %.1f 分" : "Score fell %.1f points", value);
        case ACCOUNT_MANAGER_LEFT ->
            (chinese ? "客户经理 %d 天前变更" : "Account manager changed %d days ago")
                .formatted(Math.round(value));
        case LOW_SATISFACTION -> format(chinese ? "满意度 %.1f / 5" : "Satisfaction %.1f of 5", value);
        case INSUFFICIENT_DATA ->
            missing == null
                ? (chinese ? "数据不足" : "Not enough data")
                : chinese
                    ? "数据不足：" + String.join("、", missing)
                    : "Not enough data for " + String.join(", ", missing);
      };
    }

    private static String format(String template, double value) {
      return String.format(Locale.ROOT, template, value);
    }
  }
}
