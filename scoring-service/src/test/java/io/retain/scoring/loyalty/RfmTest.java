package io.retain.scoring.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.GraphQlHttp;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.rescoring.RescoringService;
import io.retain.scoring.rescoring.StoredScoresTest;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * RFM (DOMAIN.md §6): quintiles over the scored population (R: most recent = 5; F and M: most = 5),
 * the segment from R and F, served on Customer.loyalty and filtered and paged by
 * customersByLoyalty; a ranking rewrites only the customers whose quintiles moved; rankings stored
 * on assessment_latest before V4 move to assessment_rfm unchanged.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class RfmTest {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");

  /**
   * One customer: days since the last order, orders and spend in the window, and the quintiles and
   * segment they must get among these fifteen (three a quintile, no ties; worked out by hand).
   */
  record Case(String id, int days, int orders, double spend, int r, int f, int m, String segment) {}

  static final List<Case> CASES =
      List.of(
          new Case("R01", 1, 14, 1500, 5, 5, 5, "CHAMPIONS"),
          new Case("R02", 5, 2, 100, 5, 1, 1, "NEW_CUSTOMER"),
          new Case("R03", 10, 8, 700, 5, 3, 3, "POTENTIAL_LOYALIST"),
          new Case("R04", 30, 1, 1400, 4, 1, 5, "PROMISING"),
          new Case("R05", 35, 11, 300, 4, 4, 1, "CHAMPIONS"),
          new Case("R06", 40, 5, 1100, 4, 2, 4, "POTENTIAL_LOYALIST"),
          new Case("R07", 90, 9, 200, 3, 3, 1, "NEEDS_ATTENTION"),
          new Case("R08", 95, 4, 1300, 3, 2, 5, "ABOUT_TO_SLEEP"),
          new Case("R09", 100, 15, 500, 3, 5, 2, "LOYAL"),
          new Case("R10", 180, 13, 900, 2, 5, 3, "CANT_LOSE"),
          new Case("R11", 190, 6, 1200, 2, 2, 4, "HIBERNATING"),
          new Case("R12", 200, 12, 400, 2, 4, 2, "AT_RISK"),
          new Case("R13", 280, 7, 1000, 1, 3, 4, "AT_RISK"),
          new Case("R14", 290, 3, 600, 1, 1, 2, "LOST"),
          new Case("R15", 300, 10, 800, 1, 4, 3, "AT_RISK"));

  @Autowired WebTestClient http;
  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @Value("${spring.flyway.url}")
  String jdbcUrl;

  @Value("${spring.flyway.user}")
  String jdbcUser;

  @Value("${spring.flyway.password:}")
  String jdbcPassword;

  /** The worked example's C001 (scored, 88.8) with another id, recency, frequency and spend. */
  static Activity customer(Activity t, String id, int days, int orders, double spend) {
    return new Activity(
        id,
        t.since(),
        t.kind(),
        t.industry(),
        t.valueTier(),
        t.region(),
        t.status(),
        t.accountManagerChangedAt(),
        orders,
        t.ordersByBucket(),
        t.amountSum(),
        t.amountSumSquares(),
        t.stabilityOrders(),
        t.stabilityAmountSum(),
        t.stabilityAmountSumSquares(),
        AS_OF.minusDays(days),
        t.firstOrderDate(),
        t.ordersAllTime(),
        t.spendAllTime(),
        spend,
        t.complaintsInWindow(),
        t.ticketsInWindow(),
        t.meanFirstResponseHours(),
        t.ticketsOpenOver7Days(),
        t.npsPromoters(),
        t.npsPassives(),
        t.npsDetractors(),
        t.csatMean(),
        t.csatResponses(),
        t.purchaseDaysAllTime());
  }

  static List<Activity> population(Map<String, Case> inputsOf) throws Exception {
    Activity template = StoredScoresTest.workedExample().get(0);
    List<Activity> out = new ArrayList<>();
    for (Case c : CASES) {
      Case in = inputsOf.getOrDefault(c.id(), c);
      out.add(customer(template, c.id(), in.days(), in.orders(), in.spend()));
    }
    return out;
  }

  WebTestClient.BodyContentSpec query(String q) {
    return GraphQlHttp.post(http, secret, Role.ANALYST, q, "en");
  }

  @BeforeEach
  void fifteenCustomersScoredAndRanked() throws Exception {
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
    rescoring.store(population(Map.of()), AS_OF, null).block();
    rescoring.updateRfm().block();
  }

  String entities(List<Case> cases) {
    return cases.stream()
        .map(c -> "{__typename: \"Customer\", id: \"" + c.id() + "\"}")
        .collect(Collectors.joining(", "));
  }

  void assertRanked(List<Case> expected) {
    WebTestClient.BodyContentSpec body =
        query(
            "{ _entities(representations: ["
                + entities(expected)
                + "]) { ... on Customer { id loyalty { score rfm { r f m segment } } } } }");
    for (int i = 0; i < expected.size(); i++) {
      Case c = expected.get(i);
      String at = "$.data._entities[" + i + "]";
      body.jsonPath(at + ".id")
          .isEqualTo(c.id())
          .jsonPath(at + ".loyalty.score")
          .isNotEmpty()
          .jsonPath(at + ".loyalty.rfm.r")
          .isEqualTo(c.r())
          .jsonPath(at + ".loyalty.rfm.f")
          .isEqualTo(c.f())
          .jsonPath(at + ".loyalty.rfm.m")
          .isEqualTo(c.m())
          .jsonPath(at + ".loyalty.rfm.segment")
          .isEqualTo(c.segment());
    }
  }

  @Test
  void quintilesAndSegmentsOverTheScoredPopulation() {
    assertRanked(CASES);
  }

  @Test
  void customersBySegmentArePagedInIdOrder() {
    String q =
        "{ customersByLoyalty(filter: {segments: [\"AT_RISK\", \"CHAMPIONS\"]}, first: 2%s) {"
            + " totalCount edges { cursor node { id loyalty { rfm { segment } } } }"
            + " pageInfo { hasNextPage endCursor } } }";
    List<String> seen = new ArrayList<>();
    String after = "";
    List<Boolean> more = new ArrayList<>();
    for (int page = 0; page < 3; page++) {
      WebTestClient.BodyContentSpec body = query(String.format(q, after));
      body.jsonPath("$.data.customersByLoyalty.totalCount").isEqualTo(5);
      body.jsonPath("$.data.customersByLoyalty.edges[*].node.id")
          .value((List<String> ids) -> seen.addAll(ids));
      body.jsonPath("$.data.customersByLoyalty.edges[*].node.loyalty.rfm.segment")
          .value((List<String> s) -> assertThat(s).isSubsetOf("AT_RISK", "CHAMPIONS"));
      body.jsonPath("$.data.customersByLoyalty.pageInfo.hasNextPage")
          .value((Boolean b) -> more.add(b));
      String[] end = new String[1];
      body.jsonPath("$.data.customersByLoyalty.pageInfo.endCursor").value((String c) -> end[0] = c);
      after = ", after: \"" + end[0] + "\"";
    }
    assertThat(seen).containsExactly("R01", "R05", "R12", "R13", "R15");
    assertThat(more).containsExactly(true, true, false);
    // the segment filter combines with the others
    query(
            "{ customersByLoyalty(filter: {segments: [\"LOST\", \"LOYAL\"], minScore: 0}) {"
                + " totalCount edges { node { id } } } }")
        .jsonPath("$.data.customersByLoyalty.totalCount")
        .isEqualTo(2)
        .jsonPath("$.data.customersByLoyalty.edges[*].node.id")
        .value((List<String> ids) -> assertThat(ids).containsExactly("R09", "R14"));
  }

  /** Per row, the transaction that wrote it and the one that last locked it (0: none). */
  Map<String, String> rowVersions() {
    return db.sql("select customer_id, xmin::text || '/' || xmax::text as v from assessment_rfm")
        .map((r, m) -> Map.entry(r.get("customer_id", String.class), r.get("v", String.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .block();
  }

  @Test
  void aRankingRewritesOnlyTheCustomersWhoseQuintilesMoved() throws Exception {
    Map<String, String> first = rowVersions();
    assertThat(first).hasSize(CASES.size());
    rescoring.updateRfm().block();
    assertThat(rowVersions()).isEqualTo(first);

    // R01 and R14 swap recency, frequency and spend: they swap quintiles, no one else moves
    Case r01 = CASES.get(0);
    Case r14 = CASES.get(13);
    rescoring.store(population(Map.of("R01", r14, "R14", r01)), AS_OF, null).block();
    rescoring.updateRfm().block();
    Map<String, String> second = rowVersions();
    assertThat(second.get("R01")).isNotEqualTo(first.get("R01"));
    assertThat(second.get("R14")).isNotEqualTo(first.get("R14"));
    second.remove("R01");
    second.remove("R14");
    first.remove("R01");
    first.remove("R14");
    assertThat(second).isEqualTo(first);
    assertRanked(
        List.of(
            new Case("R01", 0, 0, 0, 1, 1, 2, "LOST"),
            new Case("R14", 0, 0, 0, 5, 5, 5, "CHAMPIONS"),
            CASES.get(1)));
  }

  @Test
  void tiesAreRankedByCustomerIdSoThatRankingAgainMovesNobody() throws Exception {
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
    // fifteen customers with the same recency, frequency and spend, stored R08-R15 first, so that
    // the table's own order is not the id order
    Map<String, Case> same = new HashMap<>();
    CASES.forEach(c -> same.put(c.id(), CASES.get(7)));
    List<Activity> tied = population(same);
    rescoring.store(tied.subList(7, 15), AS_OF, null).block();
    rescoring.store(tied.subList(0, 7), AS_OF, null).block();
    rescoring.updateRfm().block();
    Map<String, String> quintiles =
        db.sql("select customer_id, r || '' || f || m as q from assessment_rfm")
            .map((r, m) -> Map.entry(r.get("customer_id", String.class), r.get("q", String.class)))
            .all()
            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
            .block();
    // three customers a quintile, in id order, on all three measures
    for (int i = 0; i < CASES.size(); i++) {
      String q = String.valueOf(1 + i / 3);
      assertThat(quintiles.get(CASES.get(i).id())).as(CASES.get(i).id()).isEqualTo(q + q + q);
    }
    Map<String, String> first = rowVersions();
    rescoring.updateRfm().block();
    assertThat(rowVersions()).isEqualTo(first);
  }

  @Test
  void rankingsStoredBeforeV4MoveToTheirOwnTable() throws Exception {
    Flyway at3 =
        Flyway.configure()
            .dataSource(jdbcUrl, jdbcUser, jdbcPassword)
            .schemas("before_v4")
            .target("3")
            .load();
    try (Connection c = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
        Statement s = c.createStatement()) {
      s.execute("drop schema if exists before_v4 cascade");
    }
    at3.migrate();
    try (Connection c = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
        Statement s = c.createStatement()) {
      s.execute(
          """
          insert into before_v4.assessment_latest (customer_id, as_of, score, tier, risk_codes,
            high_codes, recency_days, frequency, monetary, rfm_r, rfm_f, rfm_m, rfm_segment,
            profile_name, profile_version, body, inputs, computed_at)
          values ('A', '2026-06-30', 88.8, 'STABLE', '{}', '{}', 5, 12, 1000, 5, 4, 3, 'CHAMPIONS',
              'default', 1, '{}', '{}', now()),
            ('B', '2026-06-30', null, 'NEW', '{}', '{}', null, 0, 0, null, null, null, null,
              'default', 1, '{}', '{}', now())
          """);
    }
    Flyway.configure()
        .dataSource(jdbcUrl, jdbcUser, jdbcPassword)
        .schemas("before_v4")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
        Statement s = c.createStatement()) {
      try (ResultSet r =
          s.executeQuery(
              "select customer_id, r, f, m, segment from before_v4.assessment_rfm"
                  + " order by customer_id")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("A");
        assertThat(List.of(r.getInt(2), r.getInt(3), r.getInt(4))).containsExactly(5, 4, 3);
        assertThat(r.getString(5)).isEqualTo("CHAMPIONS");
        assertThat(r.next()).isFalse();
      }
      try (ResultSet r =
          s.executeQuery(
              "select count(*) from information_schema.columns where table_schema = 'before_v4'"
                  + " and table_name = 'assessment_latest' and column_name like 'rfm%'")) {
        r.next();
        assertThat(r.getInt(1)).isZero();
      }
      try (ResultSet r = s.executeQuery("select count(*) from before_v4.assessment_latest")) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(2);
      }
    }
  }
}
