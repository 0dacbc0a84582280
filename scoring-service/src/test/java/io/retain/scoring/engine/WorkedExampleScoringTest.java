package io.retain.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * DOMAIN.md's worked example: from the activity aggregates customer-service answers (the contract
 * fixture), the engine reproduces worked-example.expected.json exactly — metrics (±0.0001),
 * components, points lost, score, tier, caps, and risk factor codes and severities in order.
 */
class WorkedExampleScoringTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");

  static JsonNode fixture(String name) throws Exception {
    try (InputStream in = WorkedExampleScoringTest.class.getResourceAsStream("/fixtures/" + name)) {
      return JSON.readTree(in);
    }
  }

  static Activity activity(String id) throws Exception {
    for (JsonNode a : fixture("worked-example.activity.json").get("activity")) {
      if (a.get("customerId").asString().equals(id)) {
        return JSON.treeToValue(a, Activity.class);
      }
    }
    throw new IllegalArgumentException(id);
  }

  static JsonNode expected(String id) throws Exception {
    for (JsonNode e : fixture("worked-example.expected.json")) {
      if (e.get("id").asString().equals(id)) {
        return e;
      }
    }
    throw new IllegalArgumentException(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"C001", "C002", "C003", "C004", "C005", "C006"})
  void reproducesTheWorkedExample(String id) throws Exception {
    Assessment got = ScoringEngine.assess(activity(id), WeightProfile.defaults(), AS_OF, null, 0.8);
    JsonNode exp = expected(id);

    JsonNode m = exp.get("metrics");
    Assessment.Metrics gm = got.metrics();
    assertThat(gm.observedMonths()).isEqualTo(m.get("observedMonths").asInt());
    assertThat(gm.activeMonths()).isEqualTo(m.get("activeMonths").asInt());
    assertThat(gm.ordersInWindow()).isEqualTo(m.get("ordersInWindow").asInt());
    assertThat(gm.repurchaseRate()).isCloseTo(m.get("repurchaseRate").asDouble(), within(1e-4));
    if (m.get("orderValueStability").isNull()) {
      assertThat(gm.orderValueStability()).isNull();
    } else {
      assertThat(gm.orderValueStability())
          .isCloseTo(m.get("orderValueStability").asDouble(), within(1e-4));
    }
    assertThat(gm.purchaseFrequency())
        .isCloseTo(m.get("purchaseFrequency").asDouble(), within(1e-4));
    if (m.get("nps").isNull()) {
      assertThat(gm.nps()).isNull();
    } else {
      assertThat(gm.nps()).isCloseTo(m.get("nps").asDouble(), within(1e-4));
    }
    assertThat(gm.npsResponses()).isEqualTo(m.get("npsResponses").asInt());
    assertThat(gm.complaintRate()).isCloseTo(m.get("complaintRate").asDouble(), within(1e-4));
    assertThat(gm.tenureMonths()).isEqualTo(m.get("tenureMonths").asInt());
    assertThat(gm.daysSinceLastOrder()).isEqualTo(m.get("daysSinceLastOrder").asInt());

    for (var c : exp.get("components").properties()) {
      Double actual = got.components().get(Component.valueOf(c.getKey().toUpperCase(Locale.ROOT)));
      if (c.getValue().isNull()) {
        assertThat(actual).as("component " + c.getKey()).isNull();
      } else {
        assertThat(actual)
            .as("component " + c.getKey())
            .isCloseTo(c.getValue().asDouble(), within(1e-4));
      }
    }
    assertThat(got.pointsLost()).hasSize(exp.get("pointsLost").size());
    for (var pl : exp.get("pointsLost").properties()) {
      assertThat(got.pointsLost().get(Component.valueOf(pl.getKey().toUpperCase(Locale.ROOT))))
          .as("pointsLost " + pl.getKey())
          .isEqualTo(pl.getValue().asDouble());
    }
    assertThat(got.score()).isEqualTo(exp.get("score").asDouble());
    assertThat(got.tier().name()).isEqualTo(exp.get("tier").asString());
    List<String> caps = new ArrayList<>();
    exp.get("tierCaps").forEach(c -> caps.add(c.asString()));
    assertThat(got.tierCaps()).isEqualTo(caps);
    List<String> factors = new ArrayList<>();
    exp.get("riskFactors")
        .forEach(f -> factors.add(f.get("code").asString() + "/" + f.get("severity").asString()));
    assertThat(got.riskFactors().stream().map(f -> f.code() + "/" + f.severity()).toList())
        .isEqualTo(factors);
  }

  @org.junit.jupiter.api.Test
  void roundingIgnoresFloatingPointNoise() {
    assertThat(ScoringEngine.round1(6.2499999999)).isEqualTo(6.3);
    assertThat(ScoringEngine.round1(6.2500000001)).isEqualTo(6.3);
    assertThat(ScoringEngine.round1(6.24)).isEqualTo(6.2);
  }

  @org.junit.jupiter.api.Test
  void factorsCarryValueThresholdPointsLostAndBothLanguages() throws Exception {
    Assessment c002 =
        ScoringEngine.assess(activity("C002"), WeightProfile.defaults(), AS_OF, null, 0.8);
    RiskFactor drop = c002.riskFactors().get(0);
    assertThat(drop.code()).isEqualTo(RiskFactor.Code.FREQUENCY_DROP);
    // recent 1 order vs baseline 7 orders over 9 months scaled to 3 months: 1 − 1/2.333 = 57.1%
    assertThat(drop.value()).isCloseTo(57.142857, within(1e-4));
    assertThat(drop.threshold()).isEqualTo(50.0);
    assertThat(drop.pointsLost()).isEqualTo(5.0);
    assertThat(RiskFactorMessageTest.en(drop))
        .isEqualTo("Orders in the last 3 months fell 57% below the usual rate");
    assertThat(RiskFactorMessageTest.zh(drop)).isEqualTo("近 3 个月订单比以往水平下降 57%");
    RiskFactor slow = c002.riskFactors().get(2);
    assertThat(slow.code()).isEqualTo(RiskFactor.Code.SLOW_SERVICE_RESPONSE);
    assertThat(slow.value()).isEqualTo(63.0);
    assertThat(slow.pointsLost()).isNull();
  }

  @org.junit.jupiter.api.Test
  void scoreDeclineFiresAgainstAnOlderScore() throws Exception {
    Assessment c002 =
        ScoringEngine.assess(activity("C002"), WeightProfile.defaults(), AS_OF, 90.0, 0.8);
    assertThat(c002.riskFactors())
        .anySatisfy(
            f -> {
              assertThat(f.code()).isEqualTo(RiskFactor.Code.SCORE_DECLINE);
              assertThat(f.severity()).isEqualTo(RiskFactor.Severity.HIGH);
              assertThat(f.value()).isEqualTo(21.9);
            });
  }
}
