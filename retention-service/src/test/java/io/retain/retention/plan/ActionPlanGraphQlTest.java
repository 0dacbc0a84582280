package io.retain.retention.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
import reactor.core.publisher.Flux;

/** Action plans and playbooks over GraphQL, per role, on the worked example's plans. */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.allow-bean-definition-overriding=true")
@AutoConfigureWebTestClient
@AutoConfigureHttpGraphQlTester
@ActiveProfiles("test")
class ActionPlanGraphQlTest {

  /** Today is 2026-07-10: HIGH_RISK plans (due 07-07) are overdue, POTENTIAL_CHURN (07-14) not. */
  @TestConfiguration
  static class FixedClock {
    @Bean
    @Primary
    Clock clock() {
      return Clock.fixed(Instant.parse("2026-07-10T09:00:00Z"), ZoneOffset.UTC);
    }
  }

  /** The machine the suite runs on is shared: 5 s (the tester's default) is not enough. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Autowired HttpGraphQlTester graphQlTester;
  @Autowired PlanOpener opener;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void workedExamplePlans() {
    db.sql("delete from action_plan").then().block();
    var profiles = WorkedExampleTestData.profiles();
    Flux.fromIterable(WorkedExampleTestData.warnings())
        .concatMap(w -> opener.open(w, profiles.get(w.customerId())))
        .blockLast();
  }

  /** A tester with a token of {@code role}; documents are {@code graphql-test/<name>.graphql}. */
  GraphQlTester as(Role role) {
    return graphQlTester
        .mutate()
        .responseTimeout(TIMEOUT)
        .header(
            "Authorization", "Bearer " + Tokens.hs256(secret, "tester", Duration.ofHours(1), role))
        .build();
  }

  /** The single error of a response has this code (and, when given, this path). */
  static Consumer<List<ResponseError>> oneError(String code, String path) {
    return errors ->
        assertThat(errors)
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getExtensions()).containsEntry("code", code);
                  if (path != null) {
                    assertThat(e.getPath()).isEqualTo(path);
                  }
                });
  }

  GraphQlTester.Response changeStatus(Role role, String planId, String status) {
    return as(role)
        .documentName("changeActionPlanStatus")
        .variable("planId", planId)
        .variable("status", status)
        .execute();
  }

  String planId(String customer, String problem) {
    return db.sql(
            "select id from action_plan where customer_id = :c and problem_code = :p and status in"
                + " ('PLANNED','IN_PROGRESS')")
        .bind("c", customer)
        .bind("p", problem)
        .map(r -> r.get("id", Long.class).toString())
        .one()
        .block();
  }

  @Test
  void analystPagesPlansByDepartmentWithCursors() {
    // MARKETING: C003 NO_RECENT_PURCHASE, C003 FREQUENCY_DROP, C005 FREQUENCY_DROP (07-07), C002
    // FREQUENCY_DROP (07-14), ordered by due date then id
    GraphQlTester.Response page1 = as(Role.ANALYST).documentName("marketingPlans").execute();
    page1
        .path("actionPlans.edges[*].node")
        .entityList(Map.class)
        .satisfies(
            nodes ->
                assertThat(nodes)
                    .extracting(n -> id(n, "customer") + "/" + id(n, "problem"))
                    .containsExactly("C003/NO_RECENT_PURCHASE", "C003/FREQUENCY_DROP"))
        .path("actionPlans.pageInfo.hasNextPage")
        .entity(Boolean.class)
        .isEqualTo(true)
        .path("actionPlans.edges[0].node.overdue")
        .entity(Boolean.class)
        .isEqualTo(true);

    String end = page1.path("actionPlans.pageInfo.endCursor").entity(String.class).get();
    as(Role.ANALYST)
        .documentName("marketingPlans")
        .variable("after", end)
        .execute()
        .path("actionPlans.edges[*].node")
        .entityList(Map.class)
        .satisfies(
            nodes ->
                assertThat(nodes)
                    .extracting(n -> id(n, "customer") + "/" + id(n, "problem"))
                    .containsExactly("C005/FREQUENCY_DROP", "C002/FREQUENCY_DROP"))
        .path("actionPlans.pageInfo.hasNextPage")
        .entity(Boolean.class)
        .isEqualTo(false)
        .path("actionPlans.edges[1].node.overdue")
        .entity(Boolean.class)
        .isEqualTo(false)
        .path("actionPlans.edges[1].node.dueDate")
        .entity(String.class)
        .isEqualTo("2026-07-14");
  }

  /** {@code customer { id }} or {@code problem { code }} of a plan node. */
  static Object id(Map<?, ?> node, String field) {
    Map<?, ?> inner = (Map<?, ?>) node.get(field);
    return field.equals("problem") ? inner.get("code") : inner.get("id");
  }

  @Test
  void aPageIsOneToAThousandPlansAsEveryConnectionOfTheSuite() {
    // service-support's one paging rule: 1000 served (was capped at 200 here), 1001 refused
    as(Role.ANALYST)
        .documentName("marketingPlans")
        .variable("first", 1000)
        .execute()
        .path("actionPlans.edges")
        .entityList(Object.class)
        .hasSize(4);
    as(Role.ANALYST)
        .documentName("marketingPlans")
        .variable("first", 1001)
        .execute()
        .errors()
        .satisfy(
            errors ->
                assertThat(errors)
                    .singleElement()
                    .extracting(ResponseError::getExtensions)
                    .satisfies(
                        ext ->
                            assertThat(ext)
                                .containsEntry("code", "BAD_USER_INPUT")
                                .containsEntry("field", "first")
                                .containsEntry("expected", "1 to 1000")))
        .path("")
        .valueIsNull();
  }

  @Test
  void overdueFilterReturnsOpenPlansPastTheirDueDate() {
    // the HIGH_RISK customers' 5 plans were due 2026-07-07
    as(Role.ANALYST)
        .documentName("overduePlans")
        .execute()
        .path("actionPlans.edges[*].node.customer.id")
        .entityList(String.class)
        .hasSize(5)
        .satisfies(ids -> assertThat(ids).containsOnly("C003", "C005"));
  }

  @Test
  void customerEntitiesResolveTheirPlansFilteredByStatus() {
    as(Role.ANALYST)
        .documentName("plannedPlansOfCustomers")
        .execute()
        .path("_entities[0].actionPlans")
        .entityList(Object.class)
        .hasSize(4)
        .path("_entities[1].actionPlans")
        .entityList(Object.class)
        .hasSize(0)
        .path("_entities[2].actionPlans[0].problem.code")
        .entity(String.class)
        .isEqualTo("NO_RECENT_PURCHASE")
        .path("_entities[2].actionPlans[0].expectedEffect.metric")
        .entity(String.class)
        .isEqualTo("WIN_BACK");
  }

  @Test
  void customersPlansNeedAToken() {
    // the entities themselves are refused (service-support's default-deny on _entities): no plan,
    // not even an id, reaches an anonymous caller
    graphQlTester
        .mutate()
        .responseTimeout(TIMEOUT)
        .build()
        .documentName("plansOfCustomers")
        .execute()
        .errors()
        .satisfy(oneError("UNAUTHENTICATED", "_entities"))
        .path("")
        .valueIsNull();
  }

  @Test
  void readsNeedAToken() {
    // anonymous callers are refused by method security
    graphQlTester
        .mutate()
        .responseTimeout(TIMEOUT)
        .build()
        .documentName("planCursors")
        .execute()
        .errors()
        .satisfy(oneError("FORBIDDEN", null))
        .path("")
        .valueIsNull();
  }

  @Test
  void analystCannotChangePlans() {
    String id = planId("C002", "HIGH_COMPLAINT_RATE");
    changeStatus(Role.ANALYST, id, "IN_PROGRESS").errors().satisfy(oneError("FORBIDDEN", null));
  }

  @Test
  void campaignManagerMovesPlansOnlyAlongAllowedTransitions() {
    String id = planId("C002", "HIGH_COMPLAINT_RATE");
    changeStatus(Role.CAMPAIGN_MANAGER, id, "DONE")
        .path("changeActionPlanStatus.errors[0].code")
        .entity(String.class)
        .isEqualTo("INVALID_TRANSITION")
        .path("changeActionPlanStatus.errors[0].field")
        .entity(String.class)
        .isEqualTo("input.status");
    changeStatus(Role.CAMPAIGN_MANAGER, id, "IN_PROGRESS")
        .path("changeActionPlanStatus.plan.status")
        .entity(String.class)
        .isEqualTo("IN_PROGRESS");
    changeStatus(Role.CAMPAIGN_MANAGER, id, "DONE")
        .path("changeActionPlanStatus.plan.status")
        .entity(String.class)
        .isEqualTo("DONE");
    changeStatus(Role.CAMPAIGN_MANAGER, id, "CANCELLED")
        .path("changeActionPlanStatus.errors[0].code")
        .entity(String.class)
        .isEqualTo("INVALID_TRANSITION");
    changeStatus(Role.CAMPAIGN_MANAGER, "999999", "DONE")
        .path("changeActionPlanStatus.errors[0].code")
        .entity(String.class)
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void aSecondOpenPlanForTheSameProblemIsRefusedUntilTheFirstIsClosed() {
    GraphQlTester.Request<?> open =
        as(Role.CAMPAIGN_MANAGER)
            .documentName("openActionPlan")
            .variable("problemCode", "LOW_NPS")
            .variable("problemMessage", "NPS -67")
            .variable("owner", "li.wei");
    open.execute()
        .path("openActionPlan.errors[0].code")
        .entity(String.class)
        .isEqualTo("DUPLICATE_OPEN_PLAN");

    changeStatus(Role.CAMPAIGN_MANAGER, planId("C005", "LOW_NPS"), "CANCELLED")
        .path("changeActionPlanStatus.errors")
        .entityList(Object.class)
        .hasSize(0);
    open.execute()
        .path("openActionPlan.errors")
        .entityList(Object.class)
        .hasSize(0)
        .path("openActionPlan.plan.owner")
        .entity(String.class)
        .isEqualTo("li.wei")
        .path("openActionPlan.plan.source")
        .entity(String.class)
        .isEqualTo("MANUAL")
        .path("openActionPlan.plan.dueDate")
        .entity(String.class)
        .isEqualTo("2026-07-17")
        .path("openActionPlan.plan.department")
        .entity(String.class)
        .isEqualTo("CUSTOMER_SUCCESS");

    as(Role.CAMPAIGN_MANAGER)
        .documentName("openActionPlan")
        .variable("problemCode", "NOPE")
        .variable("problemMessage", "x")
        .execute()
        .path("openActionPlan.errors[0].field")
        .entity(String.class)
        .isEqualTo("input.problemCode");
  }
}
