package io.retain.retention.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Playbooks are seeded with DOMAIN.md §8 defaults, readable by ANALYST, editable by ADMIN only
 * ({@code graphql-test/} documents); an edit can give a rule a minimum churn probability.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.test.webtestclient.timeout=60s")
@AutoConfigureWebTestClient
@AutoConfigureHttpGraphQlTester
@ActiveProfiles("test")
class PlaybookGraphQlTest {

  @Autowired HttpGraphQlTester graphQlTester;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  /** Each test starts from the seeds: no added measure, no churn gate. */
  @AfterEach
  void seedsOnly() {
    db.sql("delete from factor_measure where risk_code = 'LOW_SATISFACTION'").then().block();
    for (String table : List.of("factor_measure", "tier_playbook")) {
      db.sql(
              "update "
                  + table
                  + " set min_churn_probability = null, without_churn_prediction = 'OPEN'")
          .then()
          .block();
    }
  }

  GraphQlTester as(Role role) {
    return graphQlTester
        .mutate()
        .responseTimeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + Tokens.hs256(secret, "t", Duration.ofHours(1), role))
        .build();
  }

  @Test
  void analystReadsTheSeededDefaults() {
    var r = as(Role.ANALYST).documentName("playbooks").execute();
    r.path("tierPlaybooks[*].tier")
        .entityList(String.class)
        .containsExactly("DIEHARD", "STABLE", "POTENTIAL_CHURN", "HIGH_RISK")
        .path("tierPlaybooks[2].departments")
        .entityList(String.class)
        .containsExactly("MARKETING", "CUSTOMER_SERVICE")
        // seeded rules have no churn minimum: they open as before a churn model existed
        .path("tierPlaybooks[*].minChurnProbability")
        .entityList(Object.class)
        .satisfies(minimums -> assertThat(minimums).hasSize(4).containsOnlyNulls())
        .path("tierPlaybooks[*].withoutChurnPrediction")
        .entityList(String.class)
        .containsExactly("OPEN", "OPEN", "OPEN", "OPEN")
        .path("riskMeasures[*].riskCode")
        .entityList(String.class)
        .contains(
            "SLOW_SERVICE_RESPONSE",
            "NO_RECENT_PURCHASE",
            "HIGH_COMPLAINT_RATE",
            "LOW_NPS",
            "FREQUENCY_DROP",
            "UNRESOLVED_TICKETS",
            "ACCOUNT_MANAGER_LEFT")
        .path("riskMeasures[?(@.riskCode == 'SLOW_SERVICE_RESPONSE')]")
        .entityList(Map.class)
        .satisfies(
            slow ->
                assertThat(slow)
                    .singleElement()
                    .satisfies(
                        m ->
                            assertThat(m)
                                .containsEntry("department", "CUSTOMER_SERVICE")
                                .containsEntry(
                                    "expectedEffect",
                                    Map.of(
                                        "metric",
                                        "COMPLAINT_RATE",
                                        "comparator",
                                        "LT",
                                        "target",
                                        5.0,
                                        "withinDays",
                                        30))));
  }

  static Map<String, Object> measure(String measureEn, int withinDays) {
    Map<String, Object> input = new HashMap<>();
    input.put("riskCode", "LOW_SATISFACTION");
    input.put("measureEn", measureEn);
    input.put("measureZh", "满意度回访");
    input.put("department", "CUSTOMER_SERVICE");
    input.put(
        "expectedEffect",
        Map.of("metric", "NPS", "comparator", "GTE", "target", 30, "withinDays", withinDays));
    return input;
  }

  GraphQlTester.Response edit(Role role, String operation, Map<String, Object> input) {
    return as(role)
        .documentName("playbookEdits")
        .operationName(operation)
        .variable("input", input)
        .execute();
  }

  @Test
  void campaignManagerCannotEditPlaybooks() {
    edit(Role.CAMPAIGN_MANAGER, "setRiskMeasure", measure("Satisfaction call", 30))
        .errors()
        .satisfy(
            errors ->
                assertThat(errors)
                    .singleElement()
                    .extracting(ResponseError::getExtensions)
                    .satisfies(ext -> assertThat(ext).containsEntry("code", "FORBIDDEN")));
  }

  @Test
  void adminAddsAMeasureAndInvalidEditsComeBackAsTypedErrors() {
    edit(Role.ADMIN, "setRiskMeasure", measure(" ", 0))
        .path("setRiskMeasure.errors[*].field")
        .entityList(String.class)
        .containsExactly("input.measureEn", "input.expectedEffect.withinDays")
        .path("setRiskMeasure.measure")
        .valueIsNull();

    edit(Role.ADMIN, "setRiskMeasure", measure("Satisfaction call", 45))
        .path("setRiskMeasure.errors")
        .entityList(Object.class)
        .hasSize(0)
        .path("setRiskMeasure.measure.expectedEffect.withinDays")
        .entity(Integer.class)
        .isEqualTo(45);

    edit(Role.ADMIN, "updateTierPlaybook", tier("GOLD", List.of()))
        .path("updateTierPlaybook.errors[*]")
        .entityList(Map.class)
        .satisfies(
            errors ->
                assertThat(errors)
                    .extracting(e -> e.get("code") + ":" + e.get("field"))
                    .containsExactlyInAnyOrder(
                        "NOT_FOUND:input.tier", "BAD_USER_INPUT:input.departments"));

    edit(Role.ADMIN, "updateTierPlaybook", tier("HIGH_RISK", List.of("CUSTOMER_SUCCESS", "SALES")))
        .path("updateTierPlaybook.playbook.strategyEn")
        .entity(String.class)
        .isEqualTo("Call within 24 h")
        .path("updateTierPlaybook.playbook.departments")
        .entityList(String.class)
        .containsExactly("CUSTOMER_SUCCESS", "SALES");
  }

  static Map<String, Object> tier(String tier, List<String> departments) {
    Map<String, Object> input = new HashMap<>();
    input.put("tier", tier);
    input.put("strategyEn", "Call within 24 h");
    input.put("strategyZh", "24小时内致电");
    input.put("departments", departments);
    input.put(
        "expectedEffect",
        Map.of("metric", "WIN_BACK", "comparator", "GTE", "target", 1, "withinDays", 21));
    return input;
  }

  /** Issue 20: a rule's minimum churn probability and its default are data an ADMIN edits. */
  @Test
  void adminGivesRulesAMinimumChurnProbabilityAndAnOutOfRangeOneIsRefused() {
    Map<String, Object> bad = measure("Satisfaction call", 30);
    bad.put("minChurnProbability", 1.2);
    edit(Role.ADMIN, "setRiskMeasure", bad)
        .path("setRiskMeasure.measure")
        .valueIsNull()
        .path("setRiskMeasure.errors[0]")
        .entity(Map.class)
        .satisfies(
            e ->
                assertThat(e)
                    .containsEntry("code", "BAD_USER_INPUT")
                    .containsEntry("field", "input.minChurnProbability")
                    .containsEntry("expected", "a probability from 0 to 1"));
    assertThat(
            db.sql("select count(*) from factor_measure where risk_code = 'LOW_SATISFACTION'")
                .map(r -> r.get(0, Long.class))
                .one()
                .block())
        .isZero();

    Map<String, Object> gated = measure("Satisfaction call", 30);
    gated.put("minChurnProbability", 0.35);
    gated.put("withoutChurnPrediction", "SKIP");
    edit(Role.ADMIN, "setRiskMeasure", gated)
        .path("setRiskMeasure.measure.minChurnProbability")
        .entity(Double.class)
        .isEqualTo(0.35)
        .path("setRiskMeasure.measure.withoutChurnPrediction")
        .entity(String.class)
        .isEqualTo("SKIP");

    Map<String, Object> playbook = tier("HIGH_RISK", List.of("CUSTOMER_SUCCESS"));
    playbook.put("minChurnProbability", 0.5);
    edit(Role.ADMIN, "updateTierPlaybook", playbook)
        .path("updateTierPlaybook.playbook.minChurnProbability")
        .entity(Double.class)
        .isEqualTo(0.5)
        // absent: the documented default
        .path("updateTierPlaybook.playbook.withoutChurnPrediction")
        .entity(String.class)
        .isEqualTo("OPEN");

    // read back as data
    as(Role.ANALYST)
        .documentName("playbooks")
        .execute()
        .path("tierPlaybooks[3].minChurnProbability")
        .entity(Double.class)
        .isEqualTo(0.5)
        .path("riskMeasures[?(@.riskCode == 'LOW_SATISFACTION')].minChurnProbability")
        .entityList(Double.class)
        .containsExactly(0.35);
  }
}
