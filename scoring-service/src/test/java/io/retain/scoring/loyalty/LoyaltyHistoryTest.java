package io.retain.scoring.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.GraphQlHttp;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.rescoring.RescoringService;
import io.retain.scoring.rescoring.StoredScoresTest;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads of stored history: Customer.loyalty(asOf) serves the newest assessment at or before the
 * date, a backfilled older date never replaces the latest one, messages follow the locale argument
 * over Accept-Language, and the tier trend counts each period from history.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class LoyaltyHistoryTest {

  static final LocalDate MAY = LocalDate.parse("2026-05-31");
  static final LocalDate JUNE = LocalDate.parse("2026-06-30");

  @Autowired WebTestClient http;
  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  /** The May assessments of the two customers scored then (C002, C003). */
  List<Assessment> may;

  WebTestClient.BodyContentSpec query(String q, String lang) {
    return GraphQlHttp.post(http, secret, Role.ANALYST, q, lang);
  }

  @BeforeEach
  void juneForAllThenMayBackfilledForTwo() throws Exception {
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
    List<Activity> all = StoredScoresTest.workedExample();
    rescoring.store(all, JUNE, null).block();
    rescoring.updateRfm().block();
    List<Activity> two = all.stream().filter(a -> a.customerId().matches("C00[23]")).toList();
    rescoring.store(two, MAY, null).block();
    may =
        two.stream()
            .map(a -> ScoringEngine.assess(a, WeightProfile.defaults(), MAY, null, 0.8))
            .toList();
  }

  @Test
  void loyaltyAsOfServesTheNewestStoredAssessmentAtOrBeforeTheDate() {
    // same activity, an earlier date: told apart by asOf (default weighs no tenure)
    Assessment c002May = may.get(0);
    query(
            """
            { _entities(representations: [{__typename: "Customer", id: "C002"}, {__typename: "Customer", id: "C001"}]) {
                ... on Customer { id
                  latest: loyalty { asOf score rfm { segment } computedAt }
                  mid: loyalty(asOf: "2026-06-15") { asOf score tier profileName profileVersion rfm { segment } }
                  exact: loyalty(asOf: "2026-06-30") { asOf score }
                  before: loyalty(asOf: "2026-01-01") { asOf }
                  loyaltyHistory(from: "2026-05-01", to: "2026-06-30") { asOf score tier profileName } } } }
            """,
            "en")
        // the backfilled May row did not replace the June one as the latest
        .jsonPath("$.data._entities[0].latest.asOf")
        .isEqualTo("2026-06-30")
        .jsonPath("$.data._entities[0].latest.score")
        .isEqualTo(68.1)
        .jsonPath("$.data._entities[0].latest.rfm.segment")
        .exists()
        .jsonPath("$.data._entities[0].latest.computedAt")
        .exists()
        .jsonPath("$.data._entities[0].mid.asOf")
        .isEqualTo("2026-05-31")
        .jsonPath("$.data._entities[0].mid.score")
        .isEqualTo(c002May.score())
        .jsonPath("$.data._entities[0].mid.tier")
        .isEqualTo(c002May.tier().name())
        .jsonPath("$.data._entities[0].mid.profileName")
        .isEqualTo("default")
        .jsonPath("$.data._entities[0].mid.profileVersion")
        .isEqualTo(1)
        // RFM is ranked over the latest population only
        .jsonPath("$.data._entities[0].mid.rfm")
        .doesNotExist()
        .jsonPath("$.data._entities[0].exact.asOf")
        .isEqualTo("2026-06-30")
        .jsonPath("$.data._entities[0].exact.score")
        .isEqualTo(68.1)
        .jsonPath("$.data._entities[0].before")
        .doesNotExist()
        .jsonPath("$.data._entities[0].loyaltyHistory.length()")
        .isEqualTo(2)
        .jsonPath("$.data._entities[0].loyaltyHistory[0].asOf")
        .isEqualTo("2026-05-31")
        .jsonPath("$.data._entities[0].loyaltyHistory[1].score")
        .isEqualTo(68.1)
        .jsonPath("$.data._entities[0].loyaltyHistory[1].profileName")
        .isEqualTo("default")
        // C001 was only scored in June
        .jsonPath("$.data._entities[1].mid")
        .doesNotExist()
        .jsonPath("$.data._entities[1].latest.score")
        .isEqualTo(88.8);
  }

  long warnings() {
    return db.sql("select count(*) from warning")
        .map((r, m) -> ((Number) r.get(0)).longValue())
        .one()
        .block();
  }

  @Test
  void backfillingAnOlderDateRaisesNoWarningAndKeepsTheLatest() throws Exception {
    long before = warnings();
    assertThat(before).isEqualTo(3); // June's first assessments at risk: C002, C003, C005
    // in April C001 looked like C005 does now: HIGH_RISK, worse than its June STABLE
    Activity c005 =
        StoredScoresTest.workedExample().stream()
            .filter(a -> a.customerId().equals("C005"))
            .findFirst()
            .orElseThrow();
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(c005);
    tree.put("customerId", "C001");
    rescoring
        .store(List.of(json.treeToValue(tree, Activity.class)), LocalDate.parse("2026-04-30"), null)
        .block();
    assertThat(warnings()).isEqualTo(before);
    query(
            """
            { _entities(representations: [{__typename: "Customer", id: "C001"}]) {
                ... on Customer { loyalty { asOf tier } april: loyalty(asOf: "2026-05-15") { asOf tier } } } }
            """,
            "en")
        .jsonPath("$.data._entities[0].loyalty.asOf")
        .isEqualTo("2026-06-30")
        .jsonPath("$.data._entities[0].loyalty.tier")
        .isEqualTo("STABLE")
        .jsonPath("$.data._entities[0].april.asOf")
        .isEqualTo("2026-04-30")
        .jsonPath("$.data._entities[0].april.tier")
        .isEqualTo("HIGH_RISK");
  }

  @Test
  void messagesFollowTheLocaleArgumentOverAcceptLanguage() {
    query(
            """
            { _entities(representations: [{__typename: "Customer", id: "C002"}]) {
                ... on Customer { loyalty { tierLabel zhLabel: tierLabel(locale: "zh-CN")
                  riskFactors { code message zh: message(locale: "zh-CN") } } } } }
            """,
            "en")
        .jsonPath("$.data._entities[0].loyalty.tierLabel")
        .isEqualTo("Potential churn")
        .jsonPath("$.data._entities[0].loyalty.zhLabel")
        .isEqualTo("潜在流失")
        .jsonPath("$.data._entities[0].loyalty.riskFactors[0].message")
        .isEqualTo("Orders in the last 3 months fell 57% below the usual rate")
        .jsonPath("$.data._entities[0].loyalty.riskFactors[0].zh")
        .isEqualTo("近 3 个月订单比以往水平下降 57%");
    query(
            """
            { _entities(representations: [{__typename: "Customer", id: "C002"}]) {
                ... on Customer { loyalty { riskFactors { en: message(locale: "en") } } } } }
            """,
            "zh-CN")
        .jsonPath("$.data._entities[0].loyalty.riskFactors[0].en")
        .isEqualTo("Orders in the last 3 months fell 57% below the usual rate");
  }

  long mayCount(String tier) {
    return may.stream().filter(a -> a.tier().name().equals(tier)).count();
  }

  @Test
  void tierTrendByMonthCountsEachCustomersNewestAssessmentAtThePeriodsEnd() {
    String mayTier = may.get(0).tier().name();
    query(
            """
            { tierTrend(from: "2026-05-01", to: "2026-06-30", period: MONTH) {
                periodStart periodEnd tier group count share } }
            """,
            "en")
        .jsonPath("$.data.tierTrend[?(@.periodStart == '2026-05-01')].count")
        .value(
            (List<Integer> counts) ->
                assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2))
        .jsonPath(
            "$.data.tierTrend[?(@.periodStart == '2026-05-01' && @.tier == '"
                + mayTier
                + "')].count")
        .isEqualTo((int) mayCount(mayTier))
        .jsonPath("$.data.tierTrend[?(@.periodStart == '2026-05-01')].periodEnd")
        .value((List<String> ends) -> assertThat(ends).containsOnly("2026-05-31"))
        .jsonPath("$.data.tierTrend[?(@.periodStart == '2026-06-01')].count")
        .value(
            (List<Integer> counts) ->
                assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(6))
        .jsonPath(
            "$.data.tierTrend[?(@.periodStart == '2026-06-01' && @.tier == 'HIGH_RISK')].count")
        .isEqualTo(2)
        .jsonPath(
            "$.data.tierTrend[?(@.periodStart == '2026-06-01' && @.tier == 'HIGH_RISK')].share")
        .isEqualTo(0.3333)
        .jsonPath("$.data.tierTrend[?(@.periodStart == '2026-06-01' && @.tier == 'DIEHARD')].count")
        .isEqualTo(1);
  }

  @Test
  void tierTrendByWeekAndKind() {
    List<String> may =
        this.may.stream()
            .map(
                a ->
                    "2026-06-22..2026-06-28 "
                        + (a.customerId().equals("C002") ? "ENTERPRISE " : "INDIVIDUAL ")
                        + a.tier()
                        + " 1 1.0")
            .toList();
    // the week of Monday 22 June ends on the 28th, before the June scores: only May's two count
    query(
            """
            { tierTrend(from: "2026-06-24", to: "2026-06-30", period: WEEK, breakdown: KIND) {
                periodStart periodEnd tier group count share } }
            """,
            "en")
        .jsonPath("$.data.tierTrend")
        .value(
            (List<java.util.Map<String, Object>> rows) ->
                assertThat(
                        rows.stream()
                            .map(
                                r ->
                                    r.get("periodStart")
                                        + ".."
                                        + r.get("periodEnd")
                                        + " "
                                        + r.get("group")
                                        + " "
                                        + r.get("tier")
                                        + " "
                                        + r.get("count")
                                        + " "
                                        + r.get("share"))
                            .toList())
                    .containsAll(may)
                    .contains(
                        "2026-06-29..2026-06-30 ENTERPRISE DIEHARD 1 0.25",
                        "2026-06-29..2026-06-30 ENTERPRISE STABLE 1 0.25",
                        "2026-06-29..2026-06-30 ENTERPRISE POTENTIAL_CHURN 1 0.25",
                        "2026-06-29..2026-06-30 ENTERPRISE HIGH_RISK 1 0.25",
                        "2026-06-29..2026-06-30 INDIVIDUAL HIGH_RISK 1 0.5",
                        "2026-06-29..2026-06-30 INDIVIDUAL NEW 1 0.5")
                    .hasSize(may.size() + 6));
    query("{ tierTrend(from: \"2026-06-30\", to: \"2026-06-01\") { count } }", "en")
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("BAD_USER_INPUT")
        .jsonPath("$.errors[0].extensions.field")
        .isEqualTo("to");
  }

  @Test
  void customersByScoreRangeAndRfmSegment() {
    query(
            """
            { customersByLoyalty(filter: {minScore: 80, maxScore: 90}) {
                totalCount edges { node { id loyalty { score } } } } }
            """,
            "en")
        .jsonPath("$.data.customersByLoyalty.totalCount")
        .isEqualTo(2)
        .jsonPath("$.data.customersByLoyalty.edges[0].node.id")
        .isEqualTo("C001")
        .jsonPath("$.data.customersByLoyalty.edges[0].node.loyalty.score")
        .isEqualTo(88.8)
        .jsonPath("$.data.customersByLoyalty.edges[1].node.id")
        .isEqualTo("C003");
    String segment =
        db.sql("select segment from assessment_rfm where customer_id = 'C006'")
            .map((r, m) -> r.get(0, String.class))
            .one()
            .block();
    long inSegment =
        db.sql("select count(*) from assessment_rfm where segment = $1")
            .bind(0, segment)
            .map((r, m) -> ((Number) r.get(0)).longValue())
            .one()
            .block();
    query(
            "{ customersByLoyalty(filter: {segments: [\""
                + segment
                + "\"]}) { totalCount edges { node { id loyalty { rfm { segment } } } } } }",
            "en")
        .jsonPath("$.data.customersByLoyalty.totalCount")
        .isEqualTo((int) inSegment)
        .jsonPath("$.data.customersByLoyalty.edges[*].node.id")
        .value((List<String> ids) -> assertThat(ids).contains("C006"))
        .jsonPath("$.data.customersByLoyalty.edges[*].node.loyalty.rfm.segment")
        .value((List<String> s) -> assertThat(s).containsOnly(segment));
  }
}
