package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.GraphQlHttp;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * customer-service goes down while the change-feed poller runs (a real HTTP stub answering 503):
 * stored scores keep being served with their computedAt, the cursor stays where it was, the feed's
 * health turns DOWN once polls have failed for longer than its threshold, and when customer-service
 * returns the poller resumes from the cursor and scores every change it missed.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "retain.scoring.change-feed.enabled=true",
      "retain.scoring.change-feed.interval=200ms",
      "retain.scoring.change-feed.unhealthy-after=300ms",
      "resilience4j.circuitbreaker.instances.customer.wait-duration-in-open-state=500ms"
    })
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
@Import(WorkedExampleDay.class)
class CustomerServiceOutageTest {

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
  @Autowired FeedStatus feed;

  @Value("${retain.security.jwt-secret}")
  String secret;

  Long cursor() {
    return db.sql("select position from feed_cursor where name = 'customer-activity'")
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .block();
  }

  long stored() {
    return db.sql("select count(*) from assessment_latest")
        .map((r, m) -> ((Number) r.get(0)).longValue())
        .one()
        .block();
  }

  static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(60)).until(condition::getAsBoolean);
  }

  WebTestClient.BodyContentSpec loyalty(String... ids) {
    StringBuilder reps = new StringBuilder();
    for (String id : ids) {
      reps.append("{__typename: \"Customer\", id: \"").append(id).append("\"}, ");
    }
    return GraphQlHttp.post(
        http,
        secret,
        Role.ANALYST,
        "{ _entities(representations: ["
            + reps
            + "]) { ... on Customer { id loyalty { score tier asOf computedAt } } } }",
        "en");
  }

  String computedAt(String id) {
    String[] out = new String[1];
    loyalty(id).jsonPath("$.data._entities[0].loyalty.computedAt").value(v -> out[0] = (String) v);
    return out[0];
  }

  @Test
  void storedScoresAreServedDuringTheOutageAndTheFeedResumesFromItsCursor() throws Exception {
    STUB.change("C001");
    STUB.change("C002");
    STUB.change("C003");
    await("the first three changes are scored", () -> Long.valueOf(3).equals(cursor()));
    assertThat(stored()).isEqualTo(3);
    String c001Before = computedAt("C001");

    STUB.down.set(true);
    int refusedBefore = STUB.refused.get();
    STUB.change("C004");
    STUB.change("C005");
    STUB.change("C006");
    STUB.change("C001");
    // the poller keeps trying (until the breaker opens) and every try fails
    await("the poller has been refused 3 times", () -> STUB.refused.get() >= refusedBefore + 3);
    assertThat(cursor()).isEqualTo(3);
    assertThat(stored()).isEqualTo(3);
    // polls failing for longer than unhealthy-after: the feed's health says so, with the lag
    await("the change feed reports DOWN", () -> feed.health().getStatus() == Status.DOWN);
    assertThat(feed.health().getDetails())
        .containsEntry("cursor", 3L)
        .containsKeys("failingSince", "consecutiveFailures", "lastError");
    loyalty("C001", "C004")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(88.8)
        .jsonPath("$.data._entities[0].loyalty.tier")
        .isEqualTo("STABLE")
        .jsonPath("$.data._entities[0].loyalty.asOf")
        .isEqualTo("2026-06-30")
        .jsonPath("$.data._entities[0].loyalty.computedAt")
        .isEqualTo(c001Before)
        .jsonPath("$.data._entities[1].loyalty")
        .doesNotExist();

    STUB.down.set(false);
    await("the missed changes are scored", () -> Long.valueOf(7).equals(cursor()));
    await("the change feed reports UP", () -> feed.health().getStatus() == Status.UP);
    assertThat(feed.health().getDetails()).containsEntry("cursor", 7L).containsEntry("lag", 0L);
    assertThat(stored()).isEqualTo(6);
    loyalty("C001", "C004", "C005", "C006")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(88.8)
        .jsonPath("$.data._entities[0].loyalty.computedAt")
        .value(v -> assertThat(Instant.parse((String) v)).isAfter(Instant.parse(c001Before)))
        .jsonPath("$.data._entities[1].loyalty.tier")
        .isEqualTo("NEW")
        .jsonPath("$.data._entities[2].loyalty.score")
        .isEqualTo(52.9)
        .jsonPath("$.data._entities[3].loyalty.tier")
        .isEqualTo("DIEHARD");
    // each customer's activity was asked for after its change: nothing lost, no double counting
    assertThat(
            db.sql("select count(*) from assessment_history")
                .map((r, m) -> ((Number) r.get(0)).longValue())
                .one()
                .block())
        .isEqualTo(6);
  }
}
