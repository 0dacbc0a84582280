package io.retain.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.engine.RiskFactor.Code;
import io.retain.scoring.engine.RiskFactor.Severity;
import java.time.LocalDate;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.ObjectMapper;

/**
 * DOMAIN.md §3 (2026-12-07): a customer with no counted order at all has gone without a purchase
 * since joining, so NO_RECENT_PURCHASE fires from {@code since} and says so.
 */
class NeverOrderedTest {

  static Activity joinedAndNeverBought(int daysAgo) {
    return neverBought(Activities.AS_OF.minusDays(daysAgo));
  }

  static Activity neverBought(LocalDate since) {
    return Activities.with(
        b -> {
          b.since = since;
          b.lastOrderDate = null;
          b.firstOrderDate = null;
          b.ordersAllTime = 0;
          b.ordersInWindow = 0;
          b.ordersByBucket = Collections.nCopies(12, 0);
          b.stabilityOrders = 0;
          b.stabilityAmountSum = 0;
          b.stabilityAmountSumSquares = 0;
        });
  }

  @Test
  void aCustomerWhoJoined337DaysAgoAndNeverBoughtHasNoRecentPurchaseHigh() {
    Assessment a = Activities.assess(joinedAndNeverBought(337));
    assertThat(a.metrics().daysSinceLastOrder()).isEqualTo(337);
    assertThat(a.tier()).isEqualTo(Tier.HIGH_RISK);
    assertThat(a.tierCaps()).contains("NO_PURCHASE");
    RiskFactor f = a.riskFactors().get(0);
    assertThat(f.code()).isEqualTo(Code.NO_RECENT_PURCHASE);
    assertThat(f.severity()).isEqualTo(Severity.HIGH);
    assertThat(f.value()).isEqualTo(337.0);
    assertThat(f.threshold()).isEqualTo(90.0);
    assertThat(f.variant()).isEqualTo(RiskFactor.SINCE_JOINING);
    // repurchase 0 of weight 30, over the 80 present (stability has no data)
    assertThat(f.pointsLost()).isEqualTo(37.5);
    assertThat(RiskFactorMessageTest.en(f)).isEqualTo("No purchase since joining 337 days ago");
    assertThat(RiskFactorMessageTest.zh(f)).isEqualTo("自 337 天前成为客户以来从未下单");
  }

  @ParameterizedTest(name = "joined {0} days ago, never bought → {1}")
  @CsvSource({"59,,", "60, MEDIUM, 60", "90, HIGH, 90"})
  void theDaysCountFromJoining(int daysAgo, Severity severity, Double threshold) {
    Assessment a = Activities.assess(joinedAndNeverBought(daysAgo));
    var fired = a.riskFactors().stream().filter(f -> f.code() == Code.NO_RECENT_PURCHASE).toList();
    if (severity == null) {
      assertThat(fired).isEmpty();
    } else {
      assertThat(fired).singleElement().extracting(RiskFactor::severity).isEqualTo(severity);
      assertThat(fired.get(0).threshold()).isEqualTo(threshold);
    }
  }

  @Test
  void aCustomerWhoBoughtKeepsTheUsualMessage() {
    Activity a = Activities.with(b -> b.lastOrderDate = Activities.AS_OF.minusDays(93));
    RiskFactor f = Activities.assess(a).riskFactors().get(0);
    assertThat(f.code()).isEqualTo(Code.NO_RECENT_PURCHASE);
    assertThat(f.variant()).isNull();
    assertThat(RiskFactorMessageTest.en(f)).isEqualTo("No order for 93 days");
    assertThat(RiskFactorMessageTest.zh(f)).isEqualTo("已 93 天未下单");
  }

  /** 89 days but 3 whole months: never having bought still caps the tier, as before. */
  @Test
  void neverHavingBoughtCapsTheTierEvenAt89Days() {
    Activity a = neverBought(LocalDate.parse("2026-02-01"));
    Assessment got =
        ScoringEngine.assess(a, WeightProfile.defaults(), LocalDate.parse("2026-05-01"), null, 0.8);
    assertThat(got.metrics().tenureMonths()).isEqualTo(3);
    assertThat(got.metrics().daysSinceLastOrder()).isEqualTo(89);
    assertThat(got.tier()).isEqualTo(Tier.HIGH_RISK);
    assertThat(got.tierCaps()).contains("NO_PURCHASE");
  }

  @Test
  void theVariantIsStoredWithTheFactor() {
    ObjectMapper json = new ObjectMapper();
    RiskFactor f = Activities.assess(joinedAndNeverBought(337)).riskFactors().get(0);
    String stored = json.writeValueAsString(f);
    assertThat(stored).contains("\"variant\":\"sinceJoining\"");
    assertThat(json.readValue(stored, RiskFactor.class)).isEqualTo(f);
  }
}
