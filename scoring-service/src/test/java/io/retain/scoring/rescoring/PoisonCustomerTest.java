package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.retain.scoring.GraphQlHttp;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * Probe 4b: one customer's data must not stop scoring for everyone. A customer whose spend passes
 * the old numeric(16,2) is scored; a customer whose aggregates cannot be scored is set aside with
 * its reason while a customer imported after both is scored and the cursor moves on; once its data
 * is good again and it changes, it is scored and leaves the set-aside list.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "retain.scoring.change-feed.enabled=true",
      "retain.scoring.change-feed.interval=200ms"
    })
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
@Import(WorkedExampleDay.class)
class PoisonCustomerTest {

  static final CustomerServiceStub STUB = CustomerServiceStub.start();

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.customer.url", STUB::url);
  }

  @AfterAll
  static void stopStub() {
    STUB.server.stop(0);
  }

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired MeterRegistry meters;

  @Value("${retain.security.jwt-secret}")
  String secret;

  long cursor() {
    return db.sql(
            "select coalesce(max(position), 0) from feed_cursor where name = 'customer-activity'")
        .map((r, m) -> ((Number) r.get(0)).longValue())
        .one()
        .block();
  }

  long count(String sql) {
    return db.sql(sql).map((r, m) -> ((Number) r.get(0)).longValue()).one().block();
  }

  /** A worked-example customer's aggregates under another id, with some fields replaced. */
  void customer(String id, String like, Map<String, Object> fields) {
    ObjectNode a = ((ObjectNode) STUB.activity.get(like)).deepCopy();
    a.put("customerId", id);
    fields.forEach((k, v) -> a.put(k, (BigDecimal) v));
    STUB.activity.put(id, a);
  }

  @Test
  void aCustomerThatCannotBeScoredIsSetAsideAndEveryoneElseIsScored() {
    BigDecimal huge = new BigDecimal("100000000000000.99"); // 99999999999999.99 + 1.00
    customer("RP-POISON", "C001", Map.of("spendAllTime", huge, "spendInWindow", huge));
    // a number no double holds: read as Infinity, not an amount
    customer("RP-BAD", "C002", Map.of("spendInWindow", new BigDecimal("1E+400")));
    customer("RP-INNOCENT", "C003", Map.of());
    STUB.change("RP-POISON");
    STUB.change("RP-BAD");
    STUB.change("RP-INNOCENT");

    await().atMost(Duration.ofSeconds(60)).until(() -> cursor() == 3);
    assertThat(count("select count(*) from assessment_latest where customer_id = 'RP-INNOCENT'"))
        .isEqualTo(1);
    // sums are unbounded now: the huge spend is stored, not an overflow
    assertThat(
            db.sql("select monetary from assessment_latest where customer_id = 'RP-POISON'")
                .map((r, m) -> r.get(0, BigDecimal.class))
                .one()
                .block())
        .isGreaterThan(new BigDecimal("99999999999999.99"));
    assertThat(count("select count(*) from assessment_latest where customer_id = 'RP-BAD'"))
        .isZero();
    assertThat(meters.get("scoring.customers.set.aside").counter().count()).isEqualTo(1.0);
    GraphQlHttp.post(
            http,
            secret,
            Role.ANALYST,
            "{ scoringSetAside { totalCount edges { node { customerId reason attempts feedPosition"
                + " firstSeen lastSeen } } } }",
            "en")
        .jsonPath("$.data.scoringSetAside.totalCount")
        .isEqualTo(1)
        .jsonPath("$.data.scoringSetAside.edges[0].node.customerId")
        .isEqualTo("RP-BAD")
        .jsonPath("$.data.scoringSetAside.edges[0].node.reason")
        .isEqualTo(
            "bad aggregates from customer-service: spendInWindow of RP-BAD is Infinity, expected"
                + " a finite amount")
        .jsonPath("$.data.scoringSetAside.edges[0].node.attempts")
        .isEqualTo(1)
        .jsonPath("$.data.scoringSetAside.edges[0].node.feedPosition")
        .value(p -> assertThat(((Number) p).longValue()).isBetween(2L, 3L));

    // corrected at the source and changed again: scored, and no longer set aside
    customer("RP-BAD", "C002", Map.of());
    STUB.change("RP-BAD");
    await().atMost(Duration.ofSeconds(60)).until(() -> cursor() == 4);
    assertThat(count("select count(*) from assessment_latest where customer_id = 'RP-BAD'"))
        .isEqualTo(1);
    assertThat(count("select count(*) from scoring_set_aside")).isZero();
    assertThat(meters.get("scoring.customers.set.aside").counter().count()).isEqualTo(1.0);
  }

  @Test
  void anAnonymousCallerMayNotListTheSetAside() {
    http.post()
        .uri("/graphql")
        .bodyValue(Map.of("query", "{ scoringSetAside { totalCount } }"))
        .exchange()
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN")
        .jsonPath("$.data")
        .doesNotExist();
  }
}
