package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.customer.ActivityAsArray;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Scores stored with their inputs serve cheap reads; warnings go to the feed once: scoring the same
 * state twice writes no second warning. customer-service is not running in this test (its URL
 * points nowhere), which also shows stored scores keep being served without it.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
public class StoredScoresTest {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");
  @Autowired WebTestClient http;
  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;
  @Autowired ProfileRepository profiles;

  @Value("${retain.security.jwt-secret}")
  String secret;

  public static List<Activity> workedExample() throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (InputStream in =
        StoredScoresTest.class.getResourceAsStream("/fixtures/worked-example.activity.json")) {
      List<Activity> out = new ArrayList<>();
      for (JsonNode a : json.readTree(in).get("activity")) {
        out.add(json.treeToValue(a, Activity.class));
      }
      return out;
    }
  }

  WebTestClient.BodyContentSpec query(Role role, String q, Map<String, Object> vars, String lang) {
    return http.post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + Tokens.hs256(secret, "t", Duration.ofHours(1), role))
        .header("Accept-Language", lang)
        .bodyValue(Map.of("query", q, "variables", vars))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  @BeforeEach
  void scoreTheWorkedExampleTwice() throws Exception {
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
    rescoring.store(workedExample(), AS_OF, null).block();
    rescoring.updateRfm().block();
    rescoring.store(workedExample(), AS_OF, null).block(); // same state again
  }

  @Test
  void theInputsAreStoredAsOneArrayInTheAggregatesOrderAndReadBackWhole() throws Exception {
    List<String> stored =
        db.sql(
                "select h.inputs::text as i from assessment_latest l"
                    + " join assessment_history h using (customer_id, as_of) order by customer_id")
            .map((r, m) -> r.get("i", String.class))
            .all()
            .collectList()
            .block();
    List<Activity> scored = workedExample();
    assertThat(stored).hasSize(scored.size());
    for (int i = 0; i < scored.size(); i++) {
      assertThat(stored.get(i)).startsWith("[\"" + scored.get(i).customerId() + "\",");
      assertThat(ActivityAsArray.JSON.readValue(stored.get(i), Activity.class))
          .isEqualTo(scored.get(i));
    }
  }

  @Test
  void theAssessmentIsDerivedFromTheStoredInputsWithThePriorScoreItWasScoredWith()
      throws Exception {
    // C001 again in October; its newest score at least 30 days older: 99.9 on 2026-09-01 (a
    // history row whose detail is gone), against which October's score is a SCORE_DECLINE
    Activity c001 = workedExample().get(0);
    LocalDate october = LocalDate.parse("2026-10-31");
    db.sql(
            "insert into assessment_history (customer_id, as_of, score, tier, profile_name,"
                + " profile_version, computed_at) values"
                + " ('C001', '2026-09-01', 99.9, 'DIEHARD', 'default', 1, now())")
        .fetch()
        .rowsUpdated()
        .block();
    rescoring.store(List.of(c001), october, null).block();
    ProfileRepository.Profiles p = profiles.current().block();
    Assessment scored =
        ScoringEngine.assess(
            c001,
            p.forCustomer(c001.kind(), c001.valueTier(), c001.industry()),
            october,
            99.9,
            StoredAssessment.DEFAULT_RETENTION);
    assertThat(scored.riskFactors())
        .extracting(RiskFactor::code)
        .contains(RiskFactor.Code.SCORE_DECLINE);
    Map<String, Object> row =
        db.sql(
                "select inputs::text as inputs, prior_score, profile_name, profile_version, score,"
                    + " body from assessment_history where customer_id = 'C001' and as_of = $1")
            .bind(0, october)
            .fetch()
            .one()
            .block();
    assertThat(row.get("body")).isNull();
    assertThat(((Number) row.get("prior_score")).doubleValue()).isEqualTo(99.9);
    assertThat(((Number) row.get("score")).doubleValue()).isEqualTo(scored.score());
    Assessment derived =
        StoredAssessment.derive(
            (String) row.get("inputs"),
            p.version((String) row.get("profile_name"), (Integer) row.get("profile_version")),
            october,
            99.9);
    assertThat(derived).isEqualTo(scored);
    double fell = ScoringEngine.round1(99.9 - scored.score());
    query(
            Role.ANALYST,
            """
            { _entities(representations: [{__typename: "Customer", id: "C001"}]) {
                ... on Customer { loyalty { score tier riskFactors { code value } } } } }
            """,
            Map.of(),
            "en")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(scored.score())
        .jsonPath("$.data._entities[0].loyalty.tier")
        .isEqualTo(scored.tier().name())
        .jsonPath("$.data._entities[0].loyalty.riskFactors[?(@.code == 'SCORE_DECLINE')].value")
        .isEqualTo(List.of(fell));
  }

  @Test
  void aHistoryRowWrittenBeforeV7IsReadFromItsDocument() throws Exception {
    // as V3-V6 stored it: the whole document and no inputs; its score differs from the
    // inputs' so that the test tells which one was read
    Activity c002 = workedExample().get(1);
    ProfileRepository.Profiles p = profiles.current().block();
    String document =
        new ObjectMapper()
            .writeValueAsString(
                ScoringEngine.assess(
                    c002,
                    p.forCustomer(c002.kind(), c002.valueTier(), c002.industry()),
                    AS_OF,
                    null,
                    StoredAssessment.DEFAULT_RETENTION))
            .replace("\"score\":68.1,", "\"score\":12.3,");
    assertThat(document).contains("\"score\":12.3,");
    db.sql(
            "update assessment_history set body = $1::json, inputs = null"
                + " where customer_id = 'C002' and as_of = $2")
        .bind(0, document)
        .bind(1, AS_OF)
        .fetch()
        .rowsUpdated()
        .block();
    query(
            Role.ANALYST,
            """
            { _entities(representations: [{__typename: "Customer", id: "C002"}]) {
                ... on Customer { loyalty { score riskFactors { code } } } } }
            """,
            Map.of(),
            "en")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(12.3)
        .jsonPath("$.data._entities[0].loyalty.riskFactors[0].code")
        .isEqualTo("FREQUENCY_DROP");
  }

  @Test
  void loyaltyIsServedFromTheStoredAssessment() {
    query(
            Role.ANALYST,
            """
            { _entities(representations: [{__typename: "Customer", id: "C002"}, {__typename: "Customer", id: "C003"}]) {
                ... on Customer { id loyalty { score tier tierLabel tierCaps profileName profileVersion asOf
                  components { name value weight pointsLost }
                  riskFactors { code severity value threshold pointsLost message } } } } }
            """,
            Map.of(),
            "zh-CN")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(68.1)
        .jsonPath("$.data._entities[0].loyalty.tier")
        .isEqualTo("POTENTIAL_CHURN")
        .jsonPath("$.data._entities[0].loyalty.tierLabel")
        .isEqualTo("潜在流失")
        .jsonPath("$.data._entities[0].loyalty.profileName")
        .isEqualTo("default")
        .jsonPath("$.data._entities[0].loyalty.components[0].name")
        .isEqualTo("repurchase")
        .jsonPath("$.data._entities[0].loyalty.components[0].weight")
        .isEqualTo(30)
        .jsonPath("$.data._entities[0].loyalty.riskFactors[0].code")
        .isEqualTo("FREQUENCY_DROP")
        .jsonPath("$.data._entities[0].loyalty.riskFactors[0].message")
        .isEqualTo("近 3 个月订单比以往水平下降 57%")
        .jsonPath("$.data._entities[1].loyalty.tier")
        .isEqualTo("HIGH_RISK")
        .jsonPath("$.data._entities[1].loyalty.tierCaps[0]")
        .isEqualTo("NO_PURCHASE");
  }

  @Test
  void customersByLoyaltyFiltersByTierAndRiskCode() {
    query(
            Role.ANALYST,
            """
            { customersByLoyalty(filter: {tiers: [HIGH_RISK, POTENTIAL_CHURN]}, first: 2) {
                totalCount edges { node { id } } pageInfo { hasNextPage } } }
            """,
            Map.of(),
            "en")
        .jsonPath("$.data.customersByLoyalty.totalCount")
        .isEqualTo(3)
        .jsonPath("$.data.customersByLoyalty.edges[0].node.id")
        .isEqualTo("C002")
        .jsonPath("$.data.customersByLoyalty.edges[1].node.id")
        .isEqualTo("C003")
        .jsonPath("$.data.customersByLoyalty.pageInfo.hasNextPage")
        .isEqualTo(true);
    query(
            Role.ANALYST,
            "{ customersByLoyalty(filter: {riskCodes: [\"LOW_NPS\"]}) { totalCount edges { node { id } } } }",
            Map.of(),
            "en")
        .jsonPath("$.data.customersByLoyalty.edges[0].node.id")
        .isEqualTo("C005")
        .jsonPath("$.data.customersByLoyalty.totalCount")
        .isEqualTo(1);
  }

  @Test
  void firstAssessmentsAtRiskAreWarnedOnceEvenWhenScoredTwice() {
    query(
            Role.SERVICE,
            "{ warningFeed(after: 0) { customerId fromTier toTier scoreBefore scoreAfter reasons riskFactors { code severity } } }",
            Map.of(),
            "en")
        .jsonPath("$.data.warningFeed.length()")
        .isEqualTo(3)
        .jsonPath("$.data.warningFeed[0].customerId")
        .isEqualTo("C002")
        .jsonPath("$.data.warningFeed[0].fromTier")
        .doesNotExist()
        .jsonPath("$.data.warningFeed[0].reasons[0]")
        .isEqualTo("FIRST_ASSESSMENT_AT_RISK")
        .jsonPath("$.data.warningFeed[0].riskFactors.length()")
        .isEqualTo(4)
        .jsonPath("$.data.warningFeed[0].scoreBefore")
        .doesNotExist()
        .jsonPath("$.data.warningFeed[0].scoreAfter")
        .isEqualTo(68.1)
        .jsonPath("$.data.warningFeed[1].customerId")
        .isEqualTo("C003")
        .jsonPath("$.data.warningFeed[2].customerId")
        .isEqualTo("C005");
  }

  @Test
  void aWorseTierIsWarnedWithTheScoresBeforeAndAfter() throws Exception {
    // C001 (STABLE, 88.8 on 2026-06-30) has not ordered since 2026-06-25: by October the
    // no-purchase cap makes it HIGH_RISK
    List<Activity> c001 = List.of(workedExample().get(0));
    rescoring.store(c001, LocalDate.parse("2026-10-31"), null).block();
    query(
            Role.SERVICE,
            "{ warningFeed(after: 0) { customerId asOf fromTier toTier scoreBefore scoreAfter reasons } }",
            Map.of(),
            "en")
        .jsonPath("$.data.warningFeed.length()")
        .isEqualTo(4)
        .jsonPath("$.data.warningFeed[3].customerId")
        .isEqualTo("C001")
        .jsonPath("$.data.warningFeed[3].asOf")
        .isEqualTo("2026-10-31")
        .jsonPath("$.data.warningFeed[3].fromTier")
        .isEqualTo("STABLE")
        .jsonPath("$.data.warningFeed[3].toTier")
        .isEqualTo("HIGH_RISK")
        .jsonPath("$.data.warningFeed[3].scoreBefore")
        .isEqualTo(88.8)
        .jsonPath("$.data.warningFeed[3].scoreAfter")
        .isNumber()
        .jsonPath("$.data.warningFeed[3].reasons[0]")
        .isEqualTo("TIER_WORSENED");
  }

  @Test
  void tierDistributionCountsAndShares() {
    query(Role.ANALYST, "{ tierDistribution { tier count share } }", Map.of(), "en")
        .jsonPath("$.data.tierDistribution[?(@.tier == 'HIGH_RISK')].count")
        .isEqualTo(2)
        .jsonPath("$.data.tierDistribution[?(@.tier == 'HIGH_RISK')].share")
        .isEqualTo(0.3333);
  }

  @Test
  void rescoringWhileCustomerServiceIsDownFailsCleanlyAndStoredScoresStay() {
    query(
            Role.ADMIN,
            "mutation { rescore(input: {asOf: \"2026-07-01\", customerIds: [\"C001\"]}) { scored } }",
            Map.of(),
            "en")
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("UPSTREAM_UNAVAILABLE")
        // the cause is named (nothing listens where the test points customer-service)
        .jsonPath("$.errors[0].message")
        .value(
            m ->
                assertThat((String) m)
                    .startsWith("customer-service did not answer (customer-service: ")
                    .endsWith("); stored scores are unchanged"));
    query(
            Role.ANALYST,
            "{ _entities(representations: [{__typename: \"Customer\", id: \"C001\"}]) { ... on Customer { loyalty { score asOf } } } }",
            Map.of(),
            "en")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(88.8)
        .jsonPath("$.data._entities[0].loyalty.asOf")
        .isEqualTo("2026-06-30");
  }

  @Test
  void analystMayNotRescore() {
    query(
            Role.ANALYST,
            "mutation { rescoreAll(input: {asOf: \"2026-06-30\"}) { scored } }",
            Map.of(),
            "en")
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN");
  }
}
