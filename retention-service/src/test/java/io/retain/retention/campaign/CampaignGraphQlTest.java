package io.retain.retention.campaign;

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
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Campaigns end to end over HTTP ({@code graphql-test/} documents), with real HTTP stubs of
 * scoring-service (customersByLoyalty, churnModels, customersByChurnRisk) and customer-service
 * (customers, customerOutcomes) on a generated population of 1 200 customers.
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
      "resilience4j.timelimiter.instances.customer.timeout-duration=30s",
      "spring.test.webtestclient.timeout=60s"
    })
@AutoConfigureWebTestClient
@AutoConfigureHttpGraphQlTester
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

  /** The active churn model of the stub when one is active. */
  static final int CHURN_MODEL = 3;

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
        Double p = churnProbability(i);
        if (p != null) {
          scoring.churn.put(id(i), p);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String id(int i) {
    return "G%04d".formatted(i);
  }

  /** Customer i's churn probability: (i mod 100) / 100; none for every seventh customer. */
  static Double churnProbability(int i) {
    return i % 7 == 0 ? null : (i % 100) / 100.0;
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

  @Autowired HttpGraphQlTester graphQlTester;
  @Autowired DatabaseClient db;
  @Autowired PlanRepository plans;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void clean() {
    db.sql("delete from campaign_member").then().block();
    db.sql("delete from campaign").then().block();
    db.sql("delete from action_plan").then().block();
    scoring.down.set(false);
    customers.down.set(false);
    scoring.activeChurnModel.set(CHURN_MODEL);
  }

  /**
   * A tester with a token of {@code role} (none when null). The machine is shared: a launch over 1
   * 200 customers takes longer than the testers' default 5 s (so does the WebTestClient's timeout
   * above).
   */
  GraphQlTester as(Role role) {
    var tester = graphQlTester.mutate().responseTimeout(Duration.ofSeconds(60));
    if (role != null) {
      tester.header(
          "Authorization", "Bearer " + Tokens.hs256(secret, "tester", Duration.ofHours(1), role));
    }
    return tester.build();
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

  GraphQlTester.Response create(Role role, Map<String, Object> input) {
    return as(role)
        .documentName("campaignMutations")
        .operationName("createCampaign")
        .variable("input", input)
        .execute();
  }

  String createOk(Map<String, Object> target, double holdout) {
    return create(Role.CAMPAIGN_MANAGER, input(target, holdout, "2026-07-01", "2026-07-31"))
        .path("createCampaign.errors")
        .entityList(Object.class)
        .hasSize(0)
        .path("createCampaign.campaign.id")
        .entity(String.class)
        .get();
  }

  GraphQlTester.Response launch(String id) {
    return as(Role.CAMPAIGN_MANAGER)
        .documentName("campaignMutations")
        .operationName("launchCampaign")
        .variable("id", id)
        .execute();
  }

  /** Launching is refused because scoring-service is down (and nothing is launched). */
  void launchRefusedAsScoringUnavailable(String id) {
    launch(id)
        .path("launchCampaign.errors[0].code")
        .entity(String.class)
        .isEqualTo("REMOTE_UNAVAILABLE")
        .path("launchCampaign.errors[0].message")
        .entity(String.class)
        .satisfies(m -> assertThat(m).startsWith("scoring-service"));
    assertThat(members(id)).isEmpty();
  }

  GraphQlTester.Response update(Map<String, Object> input) {
    return as(Role.CAMPAIGN_MANAGER)
        .documentName("campaignMutations")
        .operationName("updateCampaign")
        .variable("input", input)
        .execute();
  }

  GraphQlTester.Response campaign(String id) {
    return as(Role.ANALYST).documentName("campaign").variable("id", id).execute();
  }

  /** The code of the first error in a payload at {@code payload} (e.g. launchCampaign). */
  static String errorCode(GraphQlTester.Response r, String payload) {
    return r.path(payload + ".errors[0].code").entity(String.class).get();
  }

  /** The only error of a response (a GraphQL error, not a payload error) has this code. */
  static void oneError(GraphQlTester.Response r, String code) {
    r.errors()
        .satisfy(
            errors ->
                assertThat(errors)
                    .singleElement()
                    .extracting(ResponseError::getExtensions)
                    .satisfies(ext -> assertThat(ext).containsEntry("code", code)));
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

  /**
   * The members of a launched campaign are exactly the {@code size} generated customers that {@code
   * chosen} picks by index, each in the group {@link Holdout} assigns; emits them.
   */
  Map<String, String> expectMembers(String id, IntPredicate chosen, int size, double share) {
    Set<String> expected =
        IntStream.rangeClosed(1, POPULATION)
            .filter(chosen)
            .mapToObj(CampaignGraphQlTest::id)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(expected).hasSize(size);
    Map<String, String> members = members(id);
    assertThat(members.keySet()).isEqualTo(expected);
    members.forEach(
        (customer, assignment) ->
            assertThat(assignment)
                .isEqualTo(Holdout.inHoldout(id, customer, share) ? "HOLDOUT" : "TREATMENT"));
    return members;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Map<String, Map<String, Object>> errorsByField(GraphQlTester.Response r, String payload) {
    List<Map<String, Object>> errors =
        (List) r.path(payload + ".errors").entityList(Map.class).get();
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
    r.path("createCampaign.campaign").valueIsNull();
    var errors = errorsByField(r, "createCampaign");
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

    // a negative share, an unknown risk code or segment and a churn minimum outside 0..1 are
    // refused as well
    var r2 =
        create(
            Role.CAMPAIGN_MANAGER,
            input(
                Map.of(
                    "riskCodes", List.of("BAD_MOOD"),
                    "rfmSegments", List.of("VIP"),
                    "minChurnProbability", 1.5),
                -0.1,
                "2026-07-01",
                "2026-07-01"));
    var errors2 = errorsByField(r2, "createCampaign");
    assertThat(errors2)
        .containsOnlyKeys(
            "input.holdoutShare",
            "input.target.riskCodes",
            "input.target.rfmSegments",
            "input.target.minChurnProbability");
    assertThat(errors2.get("input.target.minChurnProbability"))
        .containsEntry("code", "BAD_USER_INPUT")
        .containsEntry("expected", "a probability from 0 to 1");
    assertThat((String) errors2.get("input.target.minChurnProbability").get("message"))
        .contains("1.5");
    assertThat(count("campaign")).isZero();

    // an update is validated on the merged campaign and leaves it unchanged when refused
    String id = createOk(Map.of("tiers", List.of("HIGH_RISK")), 0.2);
    var u =
        update(
            Map.of(
                "campaignId",
                id,
                "holdoutShare",
                0.6,
                "endDate",
                "2026-06-01",
                "target",
                Map.of("minChurnProbability", -0.2)));
    assertThat(errorsByField(u, "updateCampaign"))
        .containsOnlyKeys(
            "input.holdoutShare", "input.endDate", "input.target.minChurnProbability");
    campaign(id)
        .path("campaign.holdoutShare")
        .entity(Double.class)
        .isEqualTo(0.2)
        .path("campaign.endDate")
        .entity(String.class)
        .isEqualTo("2026-07-31")
        .path("campaign.target.minChurnProbability")
        .valueIsNull();
    update(
            Map.of(
                "campaignId",
                id,
                "holdoutShare",
                0.5,
                "name",
                "Renamed",
                "target",
                Map.of("valueTiers", List.of("KEY"))))
        .path("updateCampaign.campaign.holdoutShare")
        .entity(Double.class)
        .isEqualTo(0.5)
        .path("updateCampaign.campaign.name")
        .entity(String.class)
        .isEqualTo("Renamed")
        .path("updateCampaign.campaign.target.tiers")
        .entityList(String.class)
        .hasSize(0)
        .path("updateCampaign.campaign.target.valueTiers")
        .entityList(String.class)
        .containsExactly("KEY");
    assertThat(errorCode(update(Map.of("campaignId", "424242", "name", "x")), "updateCampaign"))
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void onlyCampaignManagersWriteAndAnonymousCallersReadNothing() {
    oneError(create(Role.ANALYST, input(Map.of(), 0.2, "2026-07-01", "2026-07-31")), "FORBIDDEN");
    assertThat(count("campaign")).isZero();
    oneError(as(null).documentName("campaignPage").execute(), "FORBIDDEN");
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
    as(Role.ANALYST)
        .documentName("campaignResults")
        .variable("id", id)
        .execute()
        .path("campaign.status")
        .entity(String.class)
        .isEqualTo("DRAFT")
        .path("campaign.results")
        .valueIsNull();
    campaign(id).path("campaign.treatmentCount").entity(Integer.class).isEqualTo(0);

    int churnCalls = scoring.churnCalls.get();
    var r = launch(id);
    r.path("launchCampaign.errors")
        .entityList(Object.class)
        .hasSize(0)
        .path("launchCampaign.campaign.status")
        .entity(String.class)
        .isEqualTo("LAUNCHED")
        .path("launchCampaign.campaign.launchedAt")
        .entity(String.class)
        .satisfies(at -> assertThat(at).startsWith("2026-08-15"))
        // no churn minimum: no churn model recorded, none asked
        .path("launchCampaign.campaign.churnModelVersion")
        .valueIsNull();
    assertThat(scoring.churnCalls.get()).isEqualTo(churnCalls);

    // from the generator: tier index 0–2 (HIGH_RISK, POTENTIAL_CHURN), odd i (ENTERPRISE),
    // i ≡ 1 mod 4 (MAJOR; no odd i is KEY): 180 customers
    Map<String, String> members =
        expectMembers(id, i -> i % 5 <= 2 && i % 2 == 1 && i % 4 == 1, 180, 0.2);
    long held = members.values().stream().filter("HOLDOUT"::equals).count();
    r.path("launchCampaign.campaign.holdoutCount")
        .entity(Integer.class)
        .isEqualTo((int) held)
        .path("launchCampaign.campaign.treatmentCount")
        .entity(Integer.class)
        .isEqualTo(180 - (int) held);
    assertThat(held).isBetween(15L, 60L); // ≈ 20% of 180

    // launched: no more edits, no second launch
    assertThat(errorCode(update(Map.of("campaignId", id, "name", "x")), "updateCampaign"))
        .isEqualTo("NOT_DRAFT");
    assertThat(errorCode(launch(id), "launchCampaign")).isEqualTo("NOT_DRAFT");
    assertThat(members(id)).hasSize(180);

    // Customer.campaigns through _entities: a member with its assignment, a non-member with none
    String member = new TreeSet<>(members.keySet()).first();
    as(Role.ANALYST)
        .documentName("campaignsOfCustomers")
        .variable(
            "ids",
            List.of(
                Map.of("__typename", "Customer", "id", member),
                Map.of("__typename", "Customer", "id", "G0002")))
        .execute()
        .path("_entities[0].campaigns[0].campaign.id")
        .entity(String.class)
        .isEqualTo(id)
        .path("_entities[0].campaigns[0].assignment")
        .entity(String.class)
        .isEqualTo(members.get(member))
        .path("_entities[1].campaigns")
        .entityList(Object.class)
        .hasSize(0);

    // a target nobody matches (no ENTERPRISE is KEY) is refused and nothing is launched
    String empty =
        createOk(Map.of("kinds", List.of("ENTERPRISE"), "valueTiers", List.of("KEY")), 0.2);
    assertThat(errorCode(launch(empty), "launchCampaign")).isEqualTo("EMPTY_TARGET");
    assertThat(members(empty)).isEmpty();

    // the list, newest first, paged, filtered by status
    String end =
        as(Role.ANALYST)
            .documentName("campaignPage")
            .variable("first", 1)
            .execute()
            .path("campaigns.edges[0].node.id")
            .entity(String.class)
            .isEqualTo(empty)
            .path("campaigns.pageInfo.hasNextPage")
            .entity(Boolean.class)
            .isEqualTo(true)
            .path("campaigns.pageInfo.endCursor")
            .entity(String.class)
            .get();
    as(Role.ANALYST)
        .documentName("campaignPage")
        .variable("first", 1)
        .variable("after", end)
        .execute()
        .path("campaigns.edges[0].node.id")
        .entity(String.class)
        .isEqualTo(id)
        .path("campaigns.pageInfo.hasNextPage")
        .entity(Boolean.class)
        .isEqualTo(false);
    as(Role.ANALYST)
        .documentName("campaignPage")
        .variable("status", "LAUNCHED")
        .execute()
        .path("campaigns.edges")
        .entityList(Object.class)
        .hasSize(1);
  }

  @Test
  void launchWhileScoringOrCustomerServiceIsDownIsRefusedAndWritesNothing() {
    String id = createOk(Map.of("tiers", List.of("HIGH_RISK"), "industries", List.of("FOOD")), 0.1);
    scoring.down.set(true);
    launchRefusedAsScoringUnavailable(id);
    scoring.down.set(false);
    customers.down.set(true);
    launch(id)
        .path("launchCampaign.errors[0].message")
        .entity(String.class)
        .satisfies(m -> assertThat(m).startsWith("customer-service"));
    assertThat(members(id)).isEmpty();
    campaign(id).path("campaign.status").entity(String.class).isEqualTo("DRAFT");

    // back: the same campaign launches (HIGH_RISK is i mod 5 ∈ {0, 1}; FOOD is i ≡ 1 mod 3)
    customers.down.set(false);
    launch(id).path("launchCampaign.errors").entityList(Object.class).hasSize(0);
    long expected =
        IntStream.rangeClosed(1, POPULATION).filter(i -> i % 5 <= 1 && i % 3 == 1).count();
    assertThat(members(id)).hasSize((int) expected);
  }

  /**
   * Issue 20: a churn minimum selects the audience with scoring's active churn model, page by page
   * (not per customer), intersected with the other criteria; customers without a prediction are not
   * selected; the holdout and the measured effect work on that audience as on any other.
   */
  @Test
  void aChurnMinimumSelectsTheAudienceWithTheActiveModelInPagesAndKeepsTheHoldout() {
    String id = createOk(Map.of("tiers", List.of("HIGH_RISK"), "minChurnProbability", 0.6), 0.2);
    campaign(id)
        .path("campaign.target.minChurnProbability")
        .entity(Double.class)
        .isEqualTo(0.6)
        .path("campaign.churnModelVersion")
        .valueIsNull();
    int churnCalls = scoring.churnCalls.get();
    launch(id)
        .path("launchCampaign.errors")
        .entityList(Object.class)
        .hasSize(0)
        .path("launchCampaign.campaign.churnModelVersion")
        .entity(Integer.class)
        .isEqualTo(CHURN_MODEL);
    // the active model, one page of ≤ 1000 ids, the model again: 3 requests for 1 200 customers
    assertThat(scoring.churnCalls.get() - churnCalls).isEqualTo(3);

    // HIGH_RISK is i mod 5 ∈ {0, 1}; a prediction unless i ≡ 0 mod 7; (i mod 100) / 100 ≥ 0.6
    Map<String, String> members =
        expectMembers(id, i -> i % 5 <= 1 && i % 7 != 0 && i % 100 >= 60, 165, 0.2);
    int held = (int) members.values().stream().filter("HOLDOUT"::equals).count();

    // measured as any campaign: every member in July, the treatment group retained, the holdout
    // not (churned on 07-20): retention uplift 1 − 0 over exactly the two groups
    for (var m : members.entrySet()) {
      boolean treated = m.getValue().equals("TREATMENT");
      customers
          .outcomesFrom
          .computeIfAbsent("2026-07-01", k -> new java.util.concurrent.ConcurrentHashMap<>())
          .put(
              m.getKey(),
              outcome(m.getKey(), 1, 100, 0, null, treated ? null : CHURNED_IN_JULY, null));
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map<String, Object>> uplifts =
        (List)
            as(Role.ANALYST)
                .documentName("campaignResults")
                .variable("id", id)
                .execute()
                .path("campaign.results.treatmentVsHoldout")
                .entityList(Map.class)
                .get();
    Map<String, Object> retention =
        uplifts.stream()
            .filter(u -> u.get("metric").equals("RETENTION_RATE"))
            .findFirst()
            .orElseThrow();
    assertThat(retention)
        .containsEntry("n", members.size() - held)
        .containsEntry("baselineN", held)
        .containsEntry("value", 1.0)
        .containsEntry("baseline", 0.0)
        .containsEntry("uplift", 1.0);
    customers.outcomesFrom.clear();

    // a minimum of 0 alone: every customer with a prediction (1 029), over two pages
    String all = createOk(Map.of("minChurnProbability", 0.0), 0.1);
    churnCalls = scoring.churnCalls.get();
    launch(all).path("launchCampaign.errors").entityList(Object.class).hasSize(0);
    assertThat(scoring.churnCalls.get() - churnCalls).isEqualTo(4);
    assertThat(members(all).keySet())
        .isEqualTo(
            IntStream.rangeClosed(1, POPULATION)
                .filter(i -> i % 7 != 0)
                .mapToObj(CampaignGraphQlTest::id)
                .collect(Collectors.toSet()))
        .hasSize(1029);
  }

  /**
   * Issue 20: with no active churn model, or scoring down, a churn minimum is refused with a typed
   * error at creation, update and launch, and nothing is written.
   */
  @Test
  void aChurnMinimumWithoutAnActiveModelOrWithScoringDownIsRefusedAndWritesNothing() {
    Map<String, Object> atRisk = Map.of("minChurnProbability", 0.5);
    scoring.activeChurnModel.set(null);
    var none = create(Role.CAMPAIGN_MANAGER, input(atRisk, 0.2, "2026-07-01", "2026-07-31"));
    none.path("createCampaign.campaign").valueIsNull();
    assertThat(errorsByField(none, "createCampaign"))
        .containsOnlyKeys("input.target.minChurnProbability")
        .extractingByKey("input.target.minChurnProbability")
        .satisfies(
            e ->
                assertThat(e)
                    .containsEntry("code", "NO_ACTIVE_CHURN_MODEL")
                    .containsEntry(
                        "expected",
                        "an active churn model in scoring-service (activateChurnModel), or no"
                            + " minimum"));
    scoring.activeChurnModel.set(CHURN_MODEL);
    scoring.down.set(true);
    assertThat(
            errorCode(
                create(Role.CAMPAIGN_MANAGER, input(atRisk, 0.2, "2026-07-01", "2026-07-31")),
                "createCampaign"))
        .isEqualTo("REMOTE_UNAVAILABLE");
    scoring.down.set(false);
    assertThat(count("campaign")).isZero();

    // a draft without a minimum cannot be given one while no model is active
    String plain = createOk(Map.of("tiers", List.of("HIGH_RISK")), 0.2);
    scoring.activeChurnModel.set(null);
    assertThat(errorCode(update(Map.of("campaignId", plain, "target", atRisk)), "updateCampaign"))
        .isEqualTo("NO_ACTIVE_CHURN_MODEL");
    campaign(plain).path("campaign.target.minChurnProbability").valueIsNull();

    // created while a model was active, launched when none is (or scoring is down): refused,
    // still a DRAFT without members; launched once a model is active again
    scoring.activeChurnModel.set(CHURN_MODEL);
    String id = createOk(atRisk, 0.2);
    scoring.activeChurnModel.set(null);
    assertThat(errorCode(launch(id), "launchCampaign")).isEqualTo("NO_ACTIVE_CHURN_MODEL");
    scoring.activeChurnModel.set(CHURN_MODEL);
    scoring.down.set(true);
    launchRefusedAsScoringUnavailable(id);
    assertThat(members(id)).isEmpty();
    campaign(id)
        .path("campaign.status")
        .entity(String.class)
        .isEqualTo("DRAFT")
        .path("campaign.churnModelVersion")
        .valueIsNull();
    scoring.down.set(false);
    launch(id)
        .path("launchCampaign.campaign.churnModelVersion")
        .entity(Integer.class)
        .isEqualTo(CHURN_MODEL);
    // (i mod 100) ≥ 50 with a prediction: 50 of each hundred, less the sevenths among them
    assertThat(members(id))
        .hasSize(
            (int)
                IntStream.rangeClosed(1, POPULATION)
                    .filter(i -> i % 7 != 0 && i % 100 >= 50)
                    .count());
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
    launch(id).path("launchCampaign.errors").entityList(Object.class).hasSize(0);
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

    var r = as(Role.ANALYST).documentName("campaignResults").variable("id", id).execute();
    r.path("campaign.results.periodFrom")
        .entity(String.class)
        .isEqualTo("2026-07-01")
        .path("campaign.results.periodTo")
        .entity(String.class)
        .isEqualTo("2026-07-31")
        .path("campaign.results.beforeFrom")
        .entity(String.class)
        .isEqualTo("2026-05-31")
        .path("campaign.results.beforeTo")
        .entity(String.class)
        .isEqualTo("2026-06-30");

    System.out.printf(
        "campaign %s: treatment %d, holdout %d%n", id, treatAfter.size(), holdAfter.size());
    expectAll(uplifts(r, "treatmentVsHoldout"), treatAfter, holdAfter, "treatment vs holdout");
    expectAll(uplifts(r, "afterVsBefore"), treatAfter, treatBefore, "after vs before");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Map<String, Object>> uplifts(GraphQlTester.Response r, String comparison) {
    return (List) r.path("campaign.results." + comparison).entityList(Map.class).get();
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
    launch(id).path("launchCampaign.errors").entityList(Object.class).hasSize(0);
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
        as(Role.ANALYST)
            .documentName("campaignsAndPlansServed")
            .variable("id", id)
            .variable("customers", List.of(Map.of("__typename", "Customer", "id", member)))
            .execute();
    // only the results need customer-service: that field alone is null, with a clear error
    r.errors()
        .satisfy(
            errors ->
                assertThat(errors)
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getExtensions()).containsEntry("code", "REMOTE_UNAVAILABLE");
                          assertThat(e.getPath()).isEqualTo("campaign.results");
                        }));
    r.path("campaigns.edges[0].node.status")
        .entity(String.class)
        .isEqualTo("LAUNCHED")
        .path("campaign.name")
        .entity(String.class)
        .isEqualTo("July win-back")
        .path("campaign.results")
        .valueIsNull()
        .path("actionPlans.edges[0].node.problem.code")
        .entity(String.class)
        .isEqualTo("LOW_NPS")
        .path("_entities[0].campaigns")
        .entityList(Object.class)
        .hasSize(1)
        .path("_entities[0].actionPlans[0].problem.code")
        .entity(String.class)
        .isEqualTo("LOW_NPS");
    int treatment = r.path("campaign.treatmentCount").entity(Integer.class).get();
    int holdout = r.path("campaign.holdoutCount").entity(Integer.class).get();
    assertThat(treatment + holdout).isEqualTo(members(id).size());
    // only the results asked a remote (customer-service's outcomes), scoring was not needed
    assertThat(scoring.calls.get()).isEqualTo(scoringCalls);
    assertThat(customers.calls.get()).isGreaterThan(customerCalls);

    // back: the results are served again
    customers.down.set(false);
    as(Role.ANALYST)
        .documentName("campaignResults")
        .variable("id", id)
        .execute()
        .path("campaign.results.periodTo")
        .entity(String.class)
        .isEqualTo("2026-07-31");
  }
}
