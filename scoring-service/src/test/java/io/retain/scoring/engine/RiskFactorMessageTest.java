package io.retain.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.engine.RiskFactor.Code;
import io.retain.scoring.engine.RiskFactor.Severity;
import io.retain.scoring.messages.Bundles;
import io.retain.scoring.messages.Texts;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.ObjectMapper;

/**
 * A factor's message is rendered from its key and value when read, in English or Chinese, for every
 * rule; factors stored with their messages (warnings and documents written before) read the same.
 */
class RiskFactorMessageTest {

  static final Texts TEXTS = Bundles.texts();

  static String en(RiskFactor f) {
    return TEXTS.riskMessage(f, Locale.ROOT);
  }

  static String zh(RiskFactor f) {
    return TEXTS.riskMessage(f, Locale.SIMPLIFIED_CHINESE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          NO_RECENT_PURCHASE    | 93        | No order for 93 days                                      | 已 93 天未下单
          FREQUENCY_DROP        | 57.142857 | Orders in the last 3 months fell 57% below the usual rate | 近 3 个月订单比以往水平下降 57%
          HIGH_COMPLAINT_RATE   | 16.666667 | Complaints on 16.7% of orders                             | 投诉率 16.7%
          LOW_NPS               | -20       | NPS is -20                                                | 净推荐值为 -20
          VOLATILE_ORDER_VALUE  | 0.4149    | Order values swing widely (stability 0.41)                | 客单价波动大（稳定性 0.41）
          SLOW_SERVICE_RESPONSE | 63        | Tickets wait 63 h on average for a first response         | 工单平均 63 小时才首次响应
          UNRESOLVED_TICKETS    | 3         | 3 ticket(s) open for 7 days or more                       | 3 个工单超过 7 天未解决
          SCORE_DECLINE         | 21.5      | Score fell 21.5 points                                    | 评分下降 21.5 分
          ACCOUNT_MANAGER_LEFT  | 12        | Account manager changed 12 days ago                       | 客户经理 12 天前变更
          LOW_SATISFACTION      | 2.5       | Satisfaction 2.5 of 5                                     | 满意度 2.5 / 5
          """)
  void everyRuleRendersItsValueInBothLanguages(Code code, double value, String en, String zh) {
    RiskFactor f = new RiskFactor(code, Severity.MEDIUM, value, 1.0, null, null);
    assertThat(en(f)).isEqualTo(en);
    assertThat(zh(f)).isEqualTo(zh);
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void everyRuleHasAMessage(Code code) {
    RiskFactor f =
        new RiskFactor(
            code, Severity.LOW, code == Code.INSUFFICIENT_DATA ? null : 1.0, null, null, null);
    assertThat(en(f)).isNotBlank();
    assertThat(zh(f)).isNotBlank().isNotEqualTo(en(f));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          nps,complaint | Not enough data for nps, complaint | 数据不足：nps、complaint
          tenure        | Not enough data for tenure         | 数据不足：tenure
          """)
  void insufficientDataNamesTheComponentsWithoutData(String missing, String en, String zh) {
    RiskFactor f =
        new RiskFactor(
            Code.INSUFFICIENT_DATA,
            Severity.LOW,
            null,
            null,
            null,
            Arrays.asList(missing.split(",")));
    assertThat(en(f)).isEqualTo(en);
    assertThat(zh(f)).isEqualTo(zh);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"code":"LOW_NPS","severity":"HIGH","value":-20.0,"threshold":0.0,"pointsLost":15.0,"messageEn":"NPS is -20","messageZh":"净推荐值为 -20"} | NPS is -20
          {"code":"INSUFFICIENT_DATA","severity":"LOW","messageEn":"Not enough data for nps","messageZh":"数据不足：nps"} | Not enough data
          """)
  void factorsStoredWithTheirMessagesStillRead(String stored, String en) {
    RiskFactor f = new ObjectMapper().readValue(stored, RiskFactor.class);
    assertThat(en(f)).isEqualTo(en);
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void aFactorIsStoredWithoutMessagesAndReadBackWhole(Code code) {
    ObjectMapper json = new ObjectMapper();
    RiskFactor f =
        code == Code.INSUFFICIENT_DATA
            ? new RiskFactor(code, Severity.LOW, null, null, null, List.of("nps"))
            : new RiskFactor(code, Severity.HIGH, 12.5, 10.0, 3.5, null);
    String stored = json.writeValueAsString(f);
    assertThat(stored).doesNotContain("message");
    assertThat(json.readValue(stored, RiskFactor.class)).isEqualTo(f);
  }
}
