package io.retain.retention.campaign;

import static io.retain.retention.GraphQlJson.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.retain.retention.feed.StubServices;
import io.retain.retention.plan.PlanDraft;
import io.retain.retention.plan.PlanRepository;
import io.retain.retention.playbook.ExpectedEffect;
import io.retain.retention.remote.CustomerOutcome;
import io.retain.retention.remote.CustomerProfile;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Campaigns end to end over HTTP, with real HTTP stubs of scoring-service (customersByLoyalty) and
 * customer-service (customers, customerOutcomes) on a generated population of 1 200 customers.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.allow-bean-definition-overriding=true",
      // outages here are switched on and off at once; keep the breakers closed
      "resilience4j.circuitbreaker.instances.scoring.minimum-number-of-calls=1000",
      "resilience4j.circuitbreaker.instances.customer.minimum-number-of-calls=1000",
      // CI shares 2 cores: a cold first call must not look like an outage
      "resilience4j.timelimiter.instances.scoring.timeout-duration=30s",
      "resilience4j.timelimiter.instances.customer.timeout-duration=30s"
    })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class CampaignGraphQlTest {

  /** Today is 2026-08-15: a July campaign has ended and can be measured. */
  @TestConfiguration
  static class FixedClock {
    @Bean
    @Primary
    Clock clock() {
      return Clock.fixed(Instant.parse("2026-08-15T09:00:00Z"), ZoneOffset.UTC);
    }
  }

  static final int POPULATION = 1200;
  static final List<String> TIERS =
      List.of("HIGH_RISK", "HIGH_RISK", "POTENTIAL_CHURN", "STABLE", "DIEHARD");
  static final List<String> VALUE_TIERS = List.of("KEY", "MAJOR", "ORDINARY", "SMALL");
  static final List<String> INDUSTRIES = List.of("RETAIL", "FOOD", "TECH");

  static final StubServices scoring;
  static final StubServices customers;

  static {
    try {
      Map<String, CustomerProfile> profiles = new LinkedHashMap<>();
      for (int i = 1; i <= POPULATION; i++) {
        String id = id(i);
        profiles.put(
            id,
            new CustomerProfile(
                id,
                i % 2 == 0 ? "INDIVIDUAL" : "ENTERPRISE",
                INDUSTRIES.get(i % 3),
                VALUE_TIERS.get(i % 4),
                "EAST",
                "ACTIVE",
                LocalDate.parse("2024-01-01"),
                List.of()));
      }
      customers = new StubServices(profiles);
      scoring = new StubServices(Map.of());
      for (int i = 1; i <= POPULATION; i++) {
        scoring.loyalty.put(
            id(i),
            new StubServices.Loyalty(
                TIERS.get(i % 5),
                List.of(i % 2 == 0 ? "NO_RECENT_PURCHASE" : "FREQUENCY_DROP"),
                i % 3 == 0 ? "AT_RISK" : "LOYAL"));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String id(int i) {
    return "G%04d".formatted(i);
  }

  @DynamicPropertySource
  static void remotes(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.scoring.url", scoring::url);
    registry.add("retain.remote.customer.url", customers::url);
  }

  @AfterAll
  static void stop() {
    scoring.close();
    customers.close();
  }

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired PlanRepository plans;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void clean() {
    http = http.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    db.sql("delete from campaign_member").then().block();
    db.sql("delete from campaign").then().block();
    db.sql("delete from action_plan").then().block();
    scoring.down.set(false);
    customers.down.set(false);
  }

  static final String CAMPAIGN_FIELDS =
      "id name status holdoutShare channel startDate endDate target { tiers riskCodes industries"
          + " kinds valueTiers rfmSegments } treatmentCount holdoutCount launchedAt";
  static final String PAYLOAD =
      "{ campaign { " + CAMPAIGN_FIELDS + " } errors { code field message expected } }";

  @SuppressWarnings("unchecked")
  Map<String, Object> gql(Role role, String query, Map<String, Object> variables) {
    var req = http.post().uri("/graphql");
    if (role != null) {
      req =
          req.header(
              "Authorization",
              "Bearer " + Tokens.hs256(secret, "tester", Duration.ofHours(1), role));
    }
    return req.bodyValue(Map.of("query", query, "variables", variables))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }

  static Map<String, Object> input(
      Map<String, Object> target, double holdout, String start, String end) {
    Map<String, Object> in = new HashMap<>();
    in.put("name", "July win-back");
    in.put("objective", "Win back lapsed customers");
    in.put("target", target);
    in.put("offer", "20% off the next order");
    in.put("channel", "EMAIL");
    in.put("startDate", start);
    in.put("endDate", end);
    in.put("holdoutShare", holdout);
    return in;
  }

  Map<String, Object> create(Role role, Map<String, Object> input) {
    return gql(
        role,
        "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) " + PAYLOAD + " }",
        Map.of("input", input));
  }

  String createOk(Map<String, Object> target, double holdout) {
    var r = create(Role.CAMPAIGN_MANAGER, input(target, holdout, "2026-07-01", "2026-07-31"));
    assertThat((List<?>) at(r, "data.createCampaign.errors")).isEmpty();
    return at(r, "data.createCampaign.campaign.id");
  }

  Map<String, Object> launch(String id) {
    return gql(
        Role.CAMPAIGN_MANAGER,
        "mutation($input: LaunchCampaignInput!) { launchCampaign(input: $input) " + PAYLOAD + " }",
        Map.of("input", Map.of("campaignId", id)));
  }

  Map<String, Object> update(Map<String, Object> input) {
    return gql(
        Role.CAMPAIGN_MANAGER,
        "mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) " + PAYLOAD + " }",
        Map.of("input", input));
  }

  long count(String table) {
    return db.sql("select count(*) from " + table).map(r -> r.get(0, Long.class)).one().block();
  }

  Map<String, String> members(String campaignId) {
    return db.sql("select customer_id, assignment from campaign_member where campaign_id = :id")
        .bind("id", Long.parseLong(campaignId))
        .map(r -> Map.entry(r.get(0, String.class), r.get(1, String.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .block();
  }

  static Map<String, Map<String, Object>> errorsByField(List<Map<String, Object>> errors) {
    return errors.stream()
        .collect(Collectors.toMap(e -> (String) e.get("field"), Function.identity()));
  }

  @Test
  void badInputIsRefusedFieldByFieldWithWhatIsExpectedAndWritesNothing() {
    Map<String, Object> bad =
        input(
            Map.of("tiers", List.of("GOLD"), "kinds", List.of("ROBOT")),
            0.6,
            "2026-07-31",
            "2026-07-01");
    bad.put("name", "  ");
    bad.put("channel", "PIGEON");
    var r = create(Role.CAMPAIGN_MANAGER, bad);
    assertThat((Object) at(r, "data.createCampaign.campaign")).isNull();
    var errors = errorsByField(at(r, "data.createCampaign.errors"));
    assertThat(errors)
        .containsOnlyKeys(
            "input.name",
            "input.channel",
            "input.endDate",
            "input.holdoutShare",
            "input.target.tiers",
            "input.target.kinds");
    assertThat(errors.values()).allMatch(e -> e.get("code").equals("BAD_USER_INPUT"));
    assertThat(errors.get("input.holdoutShare").get("expected")).isEqualTo("0 to 0.5");
    assertThat((String) errors.get("input.holdoutShare").get("message")).contains("0.6");
    assertThat(errors.get("input.endDate").get("expected"))
        .isEqualTo("a date on or after 2026-07-31");
    assertThat((String) errors.get("input.target.tiers").get("message")).contains("GOLD");
    assertThat((String) errors.get("input.target.tiers").get("expected"))
        .contains("POTENTIAL_CHURN", "HIGH_RISK");
    assertThat((String) errors.get("input.target.kinds").get("expected"))
        .isEqualTo("one of INDIVIDUAL, ENTERPRISE");
    assertThat(count("campaign")).isZero();

    // a negative share and an unknown risk code or segment are refused as well
    var r2 =
        create(
            Role.CAMPAIGN_MANAGER,
            input(
                Map.of("riskCodes", List.of("BAD_MOOD"), "rfmSegments", List.of("VIP")),
                -0.1,
                "2026-07-01",
                "2026-07-01"));
    assertThat(errorsByField(at(r2, "data.createCampaign.errors")))
        .containsOnlyKeys(
            "input.holdoutShare", "input.target.riskCodes", "input.target.rfmSegments");
    assertThat(count("campaign")).isZero();

    // an update is validated on the merged campaign and leaves it unchanged when refused
    String id = createOk(Map.of("tiers", List.of("HIGH_RISK")), 0.2);
    var u = update(Map.of("campaignId", id, "holdoutShare", 0.6, "endDate", "2026-06-01"));
    assertThat(errorsByField(at(u, "data.updateCampaign.errors")))
        .containsOnlyKeys("input.holdoutShare", "input.endDate");
    var now =
        gql(
            Role.ANALYST,
            "query($id: ID!) { campaign(id: $id) { holdoutShare endDate } }",
            Map.of("id", id));
    assertThat((Double) at(now, "data.campaign.holdoutShare")).isEqualTo(0.2);
    assertThat((String) at(now, "data.campaign.endDate")).isEqualTo("2026-07-31");
    var ok =
        update(
            Map.of(
                "campaignId",
                id,
                "holdoutShare",
                0.5,
                "name",
                "Renamed",
                "target",
                Map.of("valueTiers", List.of("KEY"))));
    assertThat((Double) at(ok, "data.updateCampaign.campaign.holdoutShare")).isEqualTo(0.5);
    assertThat((String) at(ok, "data.updateCampaign.campaign.name")).isEqualTo("Renamed");
    assertThat((List<?>) at(ok, "data.updateCampaign.campaign.target.tiers")).isEmpty();
    assertThat((List<Object>) at(ok, "data.updateCampaign.campaign.target.valueTiers"))
        .containsExactly("KEY");
    var missing = update(Map.of("campaignId", "424242", "name", "x"));
    assertThat((String) at(missing, "data.updateCampaign.errors.0.code")).isEqualTo("NOT_FOUND");
  }

  @Test
  void onlyCampaignManagersWriteAndAnonymousCallersReadNothing() {
    var r = create(Role.ANALYST, input(Map.of(), 0.2, "2026-07-01", "2026-07-31"));
    assertThat((String) at(r, "errors.0.extensions.code")).isEqualTo("FORBIDDEN");
    assertThat(count("campaign")).isZero();
    var anonymous = gql(null, "{ campaigns { edges { cursor } } }", Map.of());
    assertThat((String) at(anonymous, "errors.0.extensions.code")).isEqualTo("FORBIDDEN");
  }

  @Test
  void launchResolvesTheTargetThroughBothServicesAndAssignsTheHoldoutDeterministically() {
    String id =
        createOk(
            Map.of(
                "tiers", List.of("HIGH_RISK", "POTENTIAL_CHURN"),
                "kinds", List.of("ENTERPRISE"),
                "valueTiers", List.of("KEY", "MAJOR")),
            0.2);
    // before launch: a draft with no members and no results
    var draft =
        gql(
            Role.ANALYST,
            "query($id: ID!) { campaign(id: $id) { status treatmentCount results { periodFrom } } }",
            Map.of("id", id));
    assertThat((String) at(draft, "data.campaign.status")).isEqualTo("DRAFT");
    assertThat((Integer) at(draft, "data.campaign.treatmentCount")).isZero();
    assertThat((Object) at(draft, "data.campaign.results")).isNull();
    assertThat((Object) at(draft, "errors")).isNull();

    var r = launch(id);
    assertThat((List<?>) at(r, "data.launchCampaign.errors")).isEmpty();
    assertThat((String) at(r, "data.launchCampaign.campaign.status")).isEqualTo("LAUNCHED");
    assertThat((String) at(r, "data.launchCampaign.campaign.launchedAt")).startsWith("2026-08-15");

    // from the generator: tier index 0–2 (HIGH_RISK, POTENTIAL_CHURN), odd i (ENTERPRISE),
    // i ≡ 1 mod 4 (MAJOR; no odd i is KEY): 180 customers
    Set<String> expected = new TreeSet<>();
    for (int i = 1; i <= POPULATION; i++) {
      if (i % 5 <= 2 && i % 2 == 1 && i % 4 == 1) expected.add(id(i));
    }
    assertThat(expected).hasSize(180);
    Map<String, String> members = members(id);
    assertThat(members.keySet()).isEqualTo(expected);
    members.forEach(
        (customer, assignment) ->
            assertThat(assignment)
                .isEqualTo(Holdout.inHoldout(id, customer, 0.2) ? "HOLDOUT" : "TREATMENT"));
    long held = members.values().stream().filter("HOLDOUT"::equals).count();
    assertThat((Integer) at(r, "data.launchCampaign.campaign.holdoutCount")).isEqualTo((int) held);
    assertThat((Integer) at(r, "data.launchCampaign.campaign.treatmentCount"))
        .isEqualTo(180 - (int) held);
    assertThat(held).isBetween(15L, 60L); // ≈ 20% of 180

    // launched: no more edits, no second launch
    assertThat(
            (String)
                at(
                    update(Map.of("campaignId", id, "name", "x")),
                    "data.updateCampaign.errors.0.code"))
        .isEqualTo("NOT_DRAFT");
    var again = launch(id);
    assertThat((String) at(again, "data.launchCampaign.errors.0.code")).isEqualTo("NOT_DRAFT");
    assertThat(members(id)).hasSize(180);

    // Customer.campaigns through _entities: a member with its assignment, a non-member with none
    String member = expected.iterator().next();
    var e =
        gql(
            Role.ANALYST,
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id"
                + " campaigns { assignment campaign { id status } } } } }",
            Map.of(
                "r",
                List.of(
                    Map.of("__typename", "Customer", "id", member),
                    Map.of("__typename", "Customer", "id", "G0002"))));
    assertThat((String) at(e, "data._entities.0.campaigns.0.campaign.id")).isEqualTo(id);
    assertThat((String) at(e, "data._entities.0.campaigns.0.assignment"))
        .isEqualTo(members.get(member));
    assertThat((List<?>) at(e, "data._entities.1.campaigns")).isEmpty();

    // a target nobody matches (no ENTERPRISE is KEY) is refused and nothing is launched
    String empty =
        createOk(Map.of("kinds", List.of("ENTERPRISE"), "valueTiers", List.of("KEY")), 0.2);
    assertThat((String) at(launch(empty), "data.launchCampaign.errors.0.code"))
        .isEqualTo("EMPTY_TARGET");
    assertThat(members(empty)).isEmpty();

    // the list, newest first, paged, filtered by status
    var page1 =
        gql(
            Role.ANALYST,
            "{ campaigns(first: 1) { edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }",
            Map.of());
    assertThat((String) at(page1, "data.campaigns.edges.0.node.id")).isEqualTo(empty);
    assertThat((Boolean) at(page1, "data.campaigns.pageInfo.hasNextPage")).isTrue();
    var page2 =
        gql(
            Role.ANALYST,
            "query($after: String) { campaigns(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }",
            Map.of("after", at(page1, "data.campaigns.pageInfo.endCursor")));
    assertThat((String) at(page2, "data.campaigns.edges.0.node.id")).isEqualTo(id);
    assertThat((Boolean) at(page2, "data.campaigns.pageInfo.hasNextPage")).isFalse();
    var launched =
        gql(Role.ANALYST, "{ campaigns(status: LAUNCHED) { edges { node { id } } } }", Map.of());
    assertThat((List<?>) at(launched, "data.campaigns.edges")).hasSize(1);
  }

  @Test
  void launchWhileScoringOrCustomerServiceIsDownIsRefusedAndWritesNothing() {
    String id = createOk(Map.of("tiers", List.of("HIGH_RISK"), "industries", List.of("FOOD")), 0.1);
    scoring.down.set(true);
    var r = launch(id);
    assertThat((String) at(r, "data.launchCampaign.errors.0.code")).isEqualTo("REMOTE_UNAVAILABLE");
    assertThat((String) at(r, "data.launchCampaign.errors.0.message"))
        .startsWith("scoring-service");
    scoring.down.set(false);
    customers.down.set(true);
    var r2 = launch(id);
    assertThat((String) at(r2, "data.launchCampaign.errors.0.message"))
        .startsWith("customer-service");
    assertThat(members(id)).isEmpty();
    var still =
        gql(Role.ANALYST, "query($id: ID!) { campaign(id: $id) { status } }", Map.of("id", id));
    assertThat((String) at(still, "data.campaign.status")).isEqualTo("DRAFT");

    // back: the same campaign launches (HIGH_RISK is i mod 5 ∈ {0, 1}; FOOD is i ≡ 1 mod 3)
    customers.down.set(false);
    var r3 = launch(id);
    assertThat((List<?>) at(r3, "data.launchCampaign.errors")).isEmpty();
    long expected =
        java.util.stream.IntStream.rangeClosed(1, POPULATION)
            .filter(i -> i % 5 <= 1 && i % 3 == 1)
            .count();
    assertThat(members(id)).hasSize((int) expected);
  }

  /** What the test decided for one customer in one period, before turning it into raw outcomes. */
  record Truth(
      boolean retained,
      boolean lapsed,
      boolean wonBack,
      double spend,
      boolean complained,
      Double satisfaction) {}

  static final LocalDate CHURNED_BEFORE = LocalDate.parse("2026-03-10");
  static final LocalDate WON_BACK_IN_JULY = LocalDate.parse("2026-07-15");
  static final LocalDate CHURNED_IN_JULY = LocalDate.parse("2026-07-20");

  /**
   * MUST-SHOW: a campaign with a 20% holdout over the whole generated population (1 200 customers,
   * several pages from both services) reports, for each of the five metrics, the uplift and 95% CI
   * that the hand computation below gives from the raw generated sample.
   */
  @Test
  void twentyPercentHoldoutCampaignReportsUpliftsAndConfidenceIntervalsEqualToAHandComputation() {
    String id =
        createOk(
            Map.of(
                "tiers", List.of("DIEHARD", "STABLE", "POTENTIAL_CHURN", "HIGH_RISK"),
                "valueTiers", List.of("KEY", "MAJOR", "ORDINARY", "SMALL")),
            0.2);
    assertThat((List<?>) at(launch(id), "data.launchCampaign.errors")).isEmpty();
    Map<String, String> members = members(id);
    assertThat(members).hasSize(POPULATION);

    // raw outcomes: a scenario per customer (A active, B lapsed and stays away, C lapsed and won
    // back on 07-15, D churns on 07-20), the treatment group doing better; July is the campaign
    // period, 05-31..06-30 the period before
    Random rnd = new Random(20260701);
    List<Truth> treatAfter = new ArrayList<>();
    List<Truth> holdAfter = new ArrayList<>();
    List<Truth> treatBefore = new ArrayList<>();
    Map<String, CustomerOutcome> july = new HashMap<>();
    Map<String, CustomerOutcome> june = new HashMap<>();
    for (var m : new java.util.TreeMap<>(members).entrySet()) {
      boolean treated = m.getValue().equals("TREATMENT");
      double u = rnd.nextDouble();
      char scenario =
          treated
              ? (u < 0.55 ? 'A' : u < 0.65 ? 'B' : u < 0.85 ? 'C' : 'D')
              : (u < 0.55 ? 'A' : u < 0.75 ? 'B' : u < 0.83 ? 'C' : 'D');
      LocalDate churned =
          scenario == 'A' ? null : scenario == 'D' ? CHURNED_IN_JULY : CHURNED_BEFORE;
      LocalDate wonBack = scenario == 'C' ? WON_BACK_IN_JULY : null;
      // July
      int orders =
          switch (scenario) {
            case 'A' -> 1 + rnd.nextInt(4);
            case 'C' -> 1 + rnd.nextInt(2);
            case 'D' -> rnd.nextInt(2);
            default -> 0;
          };
      double spend = orders == 0 ? 0 : orders * 100 + rnd.nextInt(500) + (treated ? 60 : 0);
      int complaints = rnd.nextDouble() < (treated ? 0.06 : 0.12) ? 1 + rnd.nextInt(2) : 0;
      boolean answered = rnd.nextDouble() < 0.7;
      double csat = treated ? 2 + rnd.nextInt(7) * 0.5 : 1 + rnd.nextInt(9) * 0.5;
      july.put(
          m.getKey(),
          outcome(m.getKey(), orders, spend, complaints, answered ? csat : null, churned, wonBack));
      Truth after =
          new Truth(
              scenario == 'A' || scenario == 'C',
              scenario == 'B' || scenario == 'C',
              scenario == 'C',
              spend,
              complaints > 0,
              answered ? csat : null);
      (treated ? treatAfter : holdAfter).add(after);
      if (treated) {
        // June: A and D were active customers, B and C were lapsed and stayed away
        int jOrders = scenario == 'A' || scenario == 'D' ? 1 + rnd.nextInt(3) : 0;
        double jSpend = jOrders == 0 ? 0 : jOrders * 100 + rnd.nextInt(500);
        int jComplaints = rnd.nextDouble() < 0.1 ? 1 : 0;
        boolean jAnswered = rnd.nextDouble() < 0.6;
        double jCsat = 1 + rnd.nextInt(9) * 0.5;
        june.put(
            m.getKey(),
            outcome(
                m.getKey(),
                jOrders,
                jSpend,
                jComplaints,
                jAnswered ? jCsat : null,
                churned,
                wonBack));
        treatBefore.add(
            new Truth(
                scenario == 'A' || scenario == 'D',
                scenario == 'B' || scenario == 'C',
                false,
                jSpend,
                jComplaints > 0,
                jAnswered ? jCsat : null));
      }
    }
    customers.outcomesFrom.put("2026-07-01", july);
    customers.outcomesFrom.put("2026-05-31", june);

    var r =
        gql(
            Role.ANALYST,
            "query($id: ID!) { campaign(id: $id) { results { periodFrom periodTo beforeFrom beforeTo"
                + " treatmentVsHoldout { metric value baseline n baselineN uplift ciLow ciHigh }"
                + " afterVsBefore { metric value baseline n baselineN uplift ciLow ciHigh } } } }",
            Map.of("id", id));
    assertThat((Object) at(r, "errors")).isNull();
    assertThat((String) at(r, "data.campaign.results.periodFrom")).isEqualTo("2026-07-01");
    assertThat((String) at(r, "data.campaign.results.periodTo")).isEqualTo("2026-07-31");
    assertThat((String) at(r, "data.campaign.results.beforeFrom")).isEqualTo("2026-05-31");
    assertThat((String) at(r, "data.campaign.results.beforeTo")).isEqualTo("2026-06-30");

    System.out.printf(
        "campaign %s: treatment %d, holdout %d%n", id, treatAfter.size(), holdAfter.size());
    expectAll(
        at(r, "data.campaign.results.treatmentVsHoldout"),
        treatAfter,
        holdAfter,
        "treatment vs holdout");
    expectAll(
        at(r, "data.campaign.results.afterVsBefore"), treatAfter, treatBefore, "after vs before");
  }

  static CustomerOutcome outcome(
      String id,
      int orders,
      double spend,
      int complaints,
      Double csat,
      LocalDate churned,
      LocalDate wonBack) {
    return new CustomerOutcome(
        id,
        orders,
        spend,
        complaints,
        complaints,
        0,
        0,
        0,
        csat,
        csat == null ? 0 : 2,
        null,
        churned == null ? null : churned.toString(),
        wonBack == null ? null : wonBack.toString(),
        churned != null && wonBack == null ? "CHURNED" : "ACTIVE");
  }

  /** The hand computation: proportions and Welch means with z = 1.959963984540054. */
  static void expectAll(
      List<Map<String, Object>> served, List<Truth> a, List<Truth> b, String what) {
    Map<String, Map<String, Object>> byMetric =
        served.stream()
            .collect(Collectors.toMap(m -> (String) m.get("metric"), Function.identity()));
    assertThat(byMetric)
        .containsOnlyKeys(
            "RETENTION_RATE", "WIN_BACK_RATE", "SPEND", "COMPLAINT_RATE", "SATISFACTION");
    expectShare(byMetric.get("RETENTION_RATE"), a, b, t -> true, Truth::retained, what);
    expectShare(byMetric.get("WIN_BACK_RATE"), a, b, Truth::lapsed, Truth::wonBack, what);
    expectShare(byMetric.get("COMPLAINT_RATE"), a, b, t -> true, Truth::complained, what);
    expectMean(
        byMetric.get("SPEND"),
        a.stream().map(Truth::spend).toList(),
        b.stream().map(Truth::spend).toList(),
        what);
    expectMean(
        byMetric.get("SATISFACTION"),
        a.stream().map(Truth::satisfaction).filter(v -> v != null).toList(),
        b.stream().map(Truth::satisfaction).filter(v -> v != null).toList(),
        what);
  }

  static final double Z = 1.959963984540054;

  static void expectShare(
      Map<String, Object> m,
      List<Truth> a,
      List<Truth> b,
      java.util.function.Predicate<Truth> eligible,
      java.util.function.Predicate<Truth> success,
      String what) {
    int n1 = 0, x1 = 0, n2 = 0, x2 = 0;
    for (Truth t : a)
      if (eligible.test(t)) {
        n1++;
        if (success.test(t)) x1++;
      }
    for (Truth t : b)
      if (eligible.test(t)) {
        n2++;
        if (success.test(t)) x2++;
      }
    double p1 = (double) x1 / n1, p2 = (double) x2 / n2;
    double se = Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
    expect(m, p1, p2, n1, n2, p1 - p2, se, what);
  }

  static void expectMean(Map<String, Object> m, List<Double> a, List<Double> b, String what) {
    double s1 = 0, s2 = 0;
    for (double v : a) s1 += v;
    for (double v : b) s2 += v;
    double m1 = s1 / a.size(), m2 = s2 / b.size();
    double q1 = 0, q2 = 0;
    for (double v : a) q1 += (v - m1) * (v - m1);
    for (double v : b) q2 += (v - m2) * (v - m2);
    double se = Math.sqrt(q1 / (a.size() - 1) / a.size() + q2 / (b.size() - 1) / b.size());
    expect(m, m1, m2, a.size(), b.size(), m1 - m2, se, what);
  }

  static void expect(
      Map<String, Object> m,
      double v1,
      double v2,
      int n1,
      int n2,
      double diff,
      double se,
      String what) {
    System.out.printf(
        "%s %s: %.6f (n=%d) vs %.6f (n=%d), uplift %.6f, 95%% CI [%.6f, %.6f]%n",
        what, m.get("metric"), v1, n1, v2, n2, diff, diff - Z * se, diff + Z * se);
    assertThat(((Number) m.get("value")).doubleValue()).isCloseTo(v1, within(1e-9));
    assertThat(((Number) m.get("baseline")).doubleValue()).isCloseTo(v2, within(1e-9));
    assertThat(m.get("n")).isEqualTo(n1);
    assertThat(m.get("baselineN")).isEqualTo(n2);
    assertThat(((Number) m.get("uplift")).doubleValue()).isCloseTo(diff, within(1e-9));
    assertThat(((Number) m.get("ciLow")).doubleValue()).isCloseTo(diff - Z * se, within(1e-9));
    assertThat(((Number) m.get("ciHigh")).doubleValue()).isCloseTo(diff + Z * se, within(1e-9));
    assertThat(n1).isPositive();
    assertThat(n2).isPositive();
  }

  @Test
  void withScoringAndCustomerServiceDownPlansAndCampaignsAreStillServed() {
    String id =
        createOk(Map.of("tiers", List.of("HIGH_RISK"), "valueTiers", List.of("SMALL")), 0.3);
    assertThat((List<?>) at(launch(id), "data.launchCampaign.errors")).isEmpty();
    String member = members(id).keySet().iterator().next();
    plans
        .insertIfNoneOpen(
            new PlanDraft(
                member,
                "HIGH_RISK",
                "LOW_NPS",
                "NPS -50",
                null,
                "call",
                "电话",
                "CUSTOMER_SUCCESS",
                LocalDate.parse("2026-08-20"),
                new ExpectedEffect("NPS", "GTE", BigDecimal.valueOf(30), 90)),
            "MANUAL",
            null,
            OffsetDateTime.parse("2026-08-13T10:00:00Z"))
        .block();
    customers.outcomes.put(member, outcome(member, 1, 100, 0, 4.0, null, null));

    scoring.down.set(true);
    customers.down.set(true);
    int scoringCalls = scoring.calls.get();
    int customerCalls = customers.calls.get();
    var r =
        gql(
            Role.ANALYST,
            "query($id: ID!, $r: [_Any!]!) { campaigns { edges { node { id status } } }"
                + " campaign(id: $id) { name treatmentCount holdoutCount target { tiers } results { periodFrom } }"
                + " actionPlans { edges { node { problem { code } } } }"
                + " _entities(representations: $r) { ... on Customer { campaigns { assignment }"
                + " actionPlans { problem { code } } } } }",
            Map.of("id", id, "r", List.of(Map.of("__typename", "Customer", "id", member))));
    assertThat((String) at(r, "data.campaigns.edges.0.node.status")).isEqualTo("LAUNCHED");
    assertThat((String) at(r, "data.campaign.name")).isEqualTo("July win-back");
    assertThat(
            (Integer) at(r, "data.campaign.treatmentCount")
                + (Integer) at(r, "data.campaign.holdoutCount"))
        .isEqualTo(members(id).size());
    assertThat((String) at(r, "data.actionPlans.edges.0.node.problem.code")).isEqualTo("LOW_NPS");
    assertThat((List<?>) at(r, "data._entities.0.campaigns")).hasSize(1);
    assertThat((String) at(r, "data._entities.0.actionPlans.0.problem.code")).isEqualTo("LOW_NPS");
    // only the results need customer-service: that field alone is null, with a clear error
    assertThat((Object) at(r, "data.campaign.results")).isNull();
    assertThat((String) at(r, "errors.0.extensions.code")).isEqualTo("REMOTE_UNAVAILABLE");
    assertThat((List<Object>) at(r, "errors.0.path")).containsExactly("campaign", "results");
    assertThat((List<?>) at(r, "errors")).hasSize(1);
    // only the results asked a remote (customer-service's outcomes), scoring was not needed
    assertThat(scoring.calls.get()).isEqualTo(scoringCalls);
    assertThat(customers.calls.get()).isGreaterThan(customerCalls);

    // back: the results are served again
    customers.down.set(false);
    var back =
        gql(
            Role.ANALYST,
            "query($id: ID!) { campaign(id: $id) { results { periodTo } } }",
            Map.of("id", id));
    assertThat((String) at(back, "data.campaign.results.periodTo")).isEqualTo("2026-07-31");
  }
}
