package io.retain.retention.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.retention.GraphQlJson;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** Action plans and playbooks over GraphQL, per role, on the worked example's plans. */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.allow-bean-definition-overriding=true")
@AutoConfigureWebTestClient
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

  @Autowired WebTestClient http;
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

  @SuppressWarnings("unchecked")
  Map<String, Object> gql(Role role, String query) {
    var req = http.post().uri("/graphql");
    if (role != null) {
      req =
          req.header(
              "Authorization",
              "Bearer " + Tokens.hs256(secret, "tester", Duration.ofHours(1), role));
    }
    return req.bodyValue(Map.of("query", query))
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

  static String errorCode(Map<String, Object> response) {
    return at(response, "errors.0.extensions.code");
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
    String q =
        "{ actionPlans(filter: {department: \"MARKETING\"}, first: 2%s) { edges { cursor node {"
            + " customer { id } problem { code } dueDate overdue status department } } pageInfo {"
            + " hasNextPage endCursor } } }";
    var page1 = gql(Role.ANALYST, q.formatted(""));
    List<Map<String, Object>> edges = at(page1, "data.actionPlans.edges");
    // MARKETING: C003 NO_RECENT_PURCHASE, C003 FREQUENCY_DROP, C005 FREQUENCY_DROP (07-07), C002
    // FREQUENCY_DROP (07-14), ordered by due date then id
    assertThat(edges)
        .extracting(e -> at(e, "node.customer.id") + "/" + at(e, "node.problem.code"))
        .containsExactly("C003/NO_RECENT_PURCHASE", "C003/FREQUENCY_DROP");
    assertThat((Boolean) at(page1, "data.actionPlans.pageInfo.hasNextPage")).isTrue();
    assertThat((Boolean) at(edges.get(0), "node.overdue")).isTrue();

    String end = at(page1, "data.actionPlans.pageInfo.endCursor");
    var page2 = gql(Role.ANALYST, q.formatted(", after: \"" + end + "\""));
    List<Map<String, Object>> edges2 = at(page2, "data.actionPlans.edges");
    assertThat(edges2)
        .extracting(e -> at(e, "node.customer.id") + "/" + at(e, "node.problem.code"))
        .containsExactly("C005/FREQUENCY_DROP", "C002/FREQUENCY_DROP");
    assertThat((Boolean) at(page2, "data.actionPlans.pageInfo.hasNextPage")).isFalse();
    assertThat((Boolean) at(edges2.get(1), "node.overdue")).isFalse();
    assertThat((String) at(edges2.get(1), "node.dueDate")).isEqualTo("2026-07-14");
  }

  @Test
  void overdueFilterReturnsOpenPlansPastTheirDueDate() {
    var r =
        gql(
            Role.ANALYST,
            "{ actionPlans(filter: {overdue: true}, first: 50) { edges { node { customer { id } } } } }");
    List<Map<String, Object>> edges = at(r, "data.actionPlans.edges");
    // the HIGH_RISK customers' 5 plans were due 2026-07-07
    assertThat(edges)
        .hasSize(5)
        .extracting(e -> (String) at(e, "node.customer.id"))
        .containsOnly("C003", "C005");
  }

  @Test
  void customerEntitiesResolveTheirPlansFilteredByStatus() {
    var r =
        gql(
            Role.ANALYST,
            "{ _entities(representations: [{__typename: \"Customer\", id: \"C002\"},"
                + " {__typename: \"Customer\", id: \"C001\"}, {__typename: \"Customer\", id:"
                + " \"C003\"}]) { ... on Customer { id actionPlans(status: PLANNED) { problem {"
                + " code } department expectedEffect { metric comparator target withinDays } } } } }");
    assertThat((List<?>) at(r, "data._entities.0.actionPlans")).hasSize(4);
    assertThat((List<?>) at(r, "data._entities.1.actionPlans")).isEmpty();
    assertThat((String) at(r, "data._entities.2.actionPlans.0.problem.code"))
        .isEqualTo("NO_RECENT_PURCHASE");
    assertThat((String) at(r, "data._entities.2.actionPlans.0.expectedEffect.metric"))
        .isEqualTo("WIN_BACK");
  }

  @Test
  void customersPlansNeedAToken() {
    var r =
        gql(
            null,
            "{ _entities(representations: [{__typename: \"Customer\", id: \"C002\"},"
                + " {__typename: \"Customer\", id: \"C003\"}]) { ... on Customer { id"
                + " actionPlans { id } } } }");
    // the entities themselves are refused (service-support's default-deny on _entities): no plan,
    // not even an id, reaches an anonymous caller
    assertThat((Object) r.get("data")).isNull();
    List<Map<String, Object>> errors = at(r, "errors");
    assertThat(errors)
        .extracting(e -> at(e, "extensions.code"), e -> at(e, "path"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("UNAUTHENTICATED", List.of("_entities")));
  }

  @Test
  void readsNeedAToken() {
    var r = gql(null, "{ actionPlans { edges { cursor } } }");
    // anonymous callers are refused by method security
    assertThat(errorCode(r)).isEqualTo("FORBIDDEN");
    assertThat((Object) at(r, "data")).isNull();
  }

  @Test
  void analystCannotChangePlans() {
    String id = planId("C002", "HIGH_COMPLAINT_RATE");
    var r =
        gql(
            Role.ANALYST,
            "mutation { changeActionPlanStatus(input: {planId: \""
                + id
                + "\", status: IN_PROGRESS}) { errors { code } } }");
    assertThat(errorCode(r)).isEqualTo("FORBIDDEN");
  }

  @Test
  void campaignManagerMovesPlansOnlyAlongAllowedTransitions() {
    String id = planId("C002", "HIGH_COMPLAINT_RATE");
    String m =
        "mutation { changeActionPlanStatus(input: {planId: \"%s\", status: %s}) { plan { status }"
            + " errors { code field } } }";
    var skip = gql(Role.CAMPAIGN_MANAGER, m.formatted(id, "DONE"));
    assertThat((String) at(skip, "data.changeActionPlanStatus.errors.0.code"))
        .isEqualTo("INVALID_TRANSITION");
    assertThat((String) at(skip, "data.changeActionPlanStatus.errors.0.field"))
        .isEqualTo("input.status");
    var start = gql(Role.CAMPAIGN_MANAGER, m.formatted(id, "IN_PROGRESS"));
    assertThat((String) at(start, "data.changeActionPlanStatus.plan.status"))
        .isEqualTo("IN_PROGRESS");
    var done = gql(Role.CAMPAIGN_MANAGER, m.formatted(id, "DONE"));
    assertThat((String) at(done, "data.changeActionPlanStatus.plan.status")).isEqualTo("DONE");
    var back = gql(Role.CAMPAIGN_MANAGER, m.formatted(id, "CANCELLED"));
    assertThat((String) at(back, "data.changeActionPlanStatus.errors.0.code"))
        .isEqualTo("INVALID_TRANSITION");
    var missing = gql(Role.CAMPAIGN_MANAGER, m.formatted("999999", "DONE"));
    assertThat((String) at(missing, "data.changeActionPlanStatus.errors.0.code"))
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void aSecondOpenPlanForTheSameProblemIsRefusedUntilTheFirstIsClosed() {
    String open =
        "mutation { openActionPlan(input: {customerId: \"C005\", tier: \"HIGH_RISK\", problemCode:"
            + " \"LOW_NPS\", problemMessage: \"NPS -67\", owner: \"li.wei\"}) { plan { status owner"
            + " dueDate department source } errors { code field } } }";
    var dup = gql(Role.CAMPAIGN_MANAGER, open);
    assertThat((String) at(dup, "data.openActionPlan.errors.0.code"))
        .isEqualTo("DUPLICATE_OPEN_PLAN");

    String id = planId("C005", "LOW_NPS");
    gql(
        Role.CAMPAIGN_MANAGER,
        "mutation { changeActionPlanStatus(input: {planId: \""
            + id
            + "\", status: CANCELLED}) { errors { code } } }");
    var reopened = gql(Role.CAMPAIGN_MANAGER, open);
    assertThat((List<?>) at(reopened, "data.openActionPlan.errors")).isEmpty();
    assertThat((String) at(reopened, "data.openActionPlan.plan.owner")).isEqualTo("li.wei");
    assertThat((String) at(reopened, "data.openActionPlan.plan.source")).isEqualTo("MANUAL");
    assertThat((String) at(reopened, "data.openActionPlan.plan.dueDate")).isEqualTo("2026-07-17");
    assertThat((String) at(reopened, "data.openActionPlan.plan.department"))
        .isEqualTo("CUSTOMER_SUCCESS");

    var unmapped =
        gql(
            Role.CAMPAIGN_MANAGER,
            "mutation { openActionPlan(input: {customerId: \"C005\", tier: \"HIGH_RISK\","
                + " problemCode: \"NOPE\", problemMessage: \"x\"}) { errors { code field } } }");
    assertThat((String) at(unmapped, "data.openActionPlan.errors.0.field"))
        .isEqualTo("input.problemCode");
  }
}
