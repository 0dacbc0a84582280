package io.retain.retention.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.retention.GraphQlJson;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Playbooks are seeded with DOMAIN.md §8 defaults, readable by ANALYST, editable by ADMIN only. */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class PlaybookGraphQlTest {

  @Autowired WebTestClient http;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @SuppressWarnings("unchecked")
  Map<String, Object> gql(Role role, String query) {
    return http.post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + Tokens.hs256(secret, "t", Duration.ofHours(1), role))
        .bodyValue(Map.of("query", query))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }

  static <T> T at(Object json, String path) {
    return GraphQlJson.at(json, path);
  }

  @Test
  void analystReadsTheSeededDefaults() {
    var r =
        gql(
            Role.ANALYST,
            "{ tierPlaybooks { tier departments strategyZh } riskMeasures { riskCode department"
                + " expectedEffect { metric comparator target withinDays } } }");
    List<Map<String, Object>> tiers = at(r, "data.tierPlaybooks");
    assertThat(tiers)
        .extracting(t -> t.get("tier"))
        .containsExactly("DIEHARD", "STABLE", "POTENTIAL_CHURN", "HIGH_RISK");
    assertThat((List<String>) at(r, "data.tierPlaybooks.2.departments"))
        .containsExactly("MARKETING", "CUSTOMER_SERVICE");
    List<Map<String, Object>> measures = at(r, "data.riskMeasures");
    assertThat(measures)
        .extracting(m -> m.get("riskCode"))
        .contains(
            "SLOW_SERVICE_RESPONSE",
            "NO_RECENT_PURCHASE",
            "HIGH_COMPLAINT_RATE",
            "LOW_NPS",
            "FREQUENCY_DROP",
            "UNRESOLVED_TICKETS",
            "ACCOUNT_MANAGER_LEFT");
    Map<String, Object> slow =
        measures.stream()
            .filter(m -> m.get("riskCode").equals("SLOW_SERVICE_RESPONSE"))
            .findFirst()
            .orElseThrow();
    assertThat(slow)
        .containsEntry("department", "CUSTOMER_SERVICE")
        .containsEntry(
            "expectedEffect",
            Map.of(
                "metric", "COMPLAINT_RATE", "comparator", "LT", "target", 5.0, "withinDays", 30));
  }

  static final String SET_MEASURE =
      "mutation { setRiskMeasure(input: {riskCode: \"LOW_SATISFACTION\", measureEn: \"%s\","
          + " measureZh: \"满意度回访\", department: \"CUSTOMER_SERVICE\", expectedEffect: {metric:"
          + " NPS, comparator: GTE, target: 30, withinDays: %d}}) { measure { riskCode measureEn"
          + " expectedEffect { withinDays } } errors { code field } } }";

  @Test
  void campaignManagerCannotEditPlaybooks() {
    var r = gql(Role.CAMPAIGN_MANAGER, SET_MEASURE.formatted("Satisfaction call", 30));
    assertThat((String) at(r, "errors.0.extensions.code")).isEqualTo("FORBIDDEN");
  }

  @Test
  void adminAddsAMeasureAndInvalidEditsComeBackAsTypedErrors() {
    var bad = gql(Role.ADMIN, SET_MEASURE.formatted(" ", 0));
    assertThat((List<Map<String, Object>>) at(bad, "data.setRiskMeasure.errors"))
        .extracting(e -> e.get("field"))
        .containsExactlyInAnyOrder("input.measureEn", "input.expectedEffect.withinDays");
    assertThat((Object) at(bad, "data.setRiskMeasure.measure")).isNull();

    var ok = gql(Role.ADMIN, SET_MEASURE.formatted("Satisfaction call", 45));
    assertThat((List<?>) at(ok, "data.setRiskMeasure.errors")).isEmpty();
    assertThat((Integer) at(ok, "data.setRiskMeasure.measure.expectedEffect.withinDays"))
        .isEqualTo(45);

    var unknownTier =
        gql(
            Role.ADMIN,
            "mutation { updateTierPlaybook(input: {tier: \"GOLD\", strategyEn: \"x\", strategyZh:"
                + " \"x\", departments: [], expectedEffect: {metric: ORDERS, comparator: GTE,"
                + " target: 1, withinDays: 30}}) { playbook { tier } errors { code field } } }");
    assertThat((List<Map<String, Object>>) at(unknownTier, "data.updateTierPlaybook.errors"))
        .extracting(e -> e.get("code") + ":" + e.get("field"))
        .containsExactlyInAnyOrder("NOT_FOUND:input.tier", "BAD_USER_INPUT:input.departments");

    var updated =
        gql(
            Role.ADMIN,
            "mutation { updateTierPlaybook(input: {tier: \"HIGH_RISK\", strategyEn: \"Call within"
                + " 24 h\", strategyZh: \"24小时内致电\", departments: [\"CUSTOMER_SUCCESS\","
                + " \"SALES\"], expectedEffect: {metric: WIN_BACK, comparator: GTE, target: 1,"
                + " withinDays: 21}}) { playbook { tier strategyEn departments } errors { code } }"
                + " }");
    assertThat((String) at(updated, "data.updateTierPlaybook.playbook.strategyEn"))
        .isEqualTo("Call within 24 h");
    assertThat((List<String>) at(updated, "data.updateTierPlaybook.playbook.departments"))
        .containsExactly("CUSTOMER_SUCCESS", "SALES");
  }
}
