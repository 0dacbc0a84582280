package io.retain.retention.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.retain.retention.plan.WorkedExampleTestData;
import io.retain.retention.remote.RemoteException;
import io.retain.retention.remote.WarningEvent;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The warning-feed consumer against real HTTP stubs of scoring and customer-service. */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "retain.warning-feed.page-size=2",
      // the outages here are short; keep the breaker closed so "back" is seen at once
      "resilience4j.circuitbreaker.instances.scoring.minimum-number-of-calls=100",
      // customer-service: two failed calls in a row open the breaker, a trial call after 500 ms
      "resilience4j.circuitbreaker.instances.customer.sliding-window-size=2",
      "resilience4j.circuitbreaker.instances.customer.minimum-number-of-calls=2",
      "resilience4j.circuitbreaker.instances.customer.failure-rate-threshold=100",
      "resilience4j.circuitbreaker.instances.customer.wait-duration-in-open-state=500ms",
      "resilience4j.circuitbreaker.instances.customer.permitted-number-of-calls-in-half-open-state=1",
      "resilience4j.timelimiter.instances.scoring.timeout-duration=30s",
      "resilience4j.timelimiter.instances.customer.timeout-duration=30s"
    })
@ActiveProfiles("test")
class WarningFeedConsumerTest {

  static final StubServices stub;

  static {
    try {
      stub = new StubServices(WorkedExampleTestData.profiles());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void remotes(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.scoring.url", stub::url);
    registry.add("retain.remote.customer.url", stub::url);
  }

  @AfterAll
  static void stop() {
    stub.close();
  }

  @Autowired WarningFeedConsumer consumer;
  @Autowired io.retain.support.jobs.JobLeases leases;
  @Autowired DatabaseClient db;
  @Autowired org.springframework.context.ApplicationContext context;
  @Autowired io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers;

  @Autowired io.retain.retention.remote.ScoringClient scoring;

  @Test
  void aFullPageOfWarningsLargerThanWebFluxsDefaultBufferIsRead() {
    reset();
    WarningEvent one = WorkedExampleTestData.warnings().get(0); // C002, four risk factors
    for (int i = 1; i <= 1000; i++) {
      stub.feed.add(
          new WarningEvent(
              i,
              "C" + i,
              one.asOf(),
              one.createdAt(),
              one.fromTier(),
              one.toTier(),
              one.scoreBefore(),
              one.scoreAfter(),
              one.reasons(),
              one.riskFactors()));
    }
    try {
      List<WarningEvent> page =
          scoring.warningFeed(0, 1000).block(java.time.Duration.ofSeconds(30));
      assertThat(page).hasSize(1000);
      assertThat(page.get(999).customerId()).isEqualTo("C1000");
      assertThat(page.get(999).riskFactors()).isEqualTo(one.riskFactors());
    } finally {
      reset();
    }
  }

  @Test
  void theDefaultTransportCreatesNoKafkaBean() {
    assertThat(context.getBeanNamesForType(org.springframework.kafka.core.KafkaTemplate.class))
        .isEmpty();
    assertThat(context.getBeanNamesForType(org.springframework.kafka.core.ProducerFactory.class))
        .isEmpty();
    assertThat(
            context.getBeanNamesForType(
                org.springframework.kafka.listener.MessageListenerContainer.class))
        .isEmpty();
    assertThat(context.getBeanNamesForType(WarningEventsConfiguration.class)).isEmpty();
  }

  @Test
  void thePollerIsOffWhenDisabledInConfiguration() {
    // application-test.yml sets retain.warning-feed.enabled=false
    assertThat(context.getBeanNamesForType(WarningFeedScheduler.class)).isEmpty();
  }

  @Test
  void outageLosesNothingResumesFromTheCursorAndReplayOpensNoDuplicates() {
    reset();
    List<WarningEvent> warnings = WorkedExampleTestData.warnings(); // C002, C003, C005
    stub.feed.addAll(warnings.subList(0, 2));

    // scoring down: the poll fails, nothing is consumed, the cursor stays
    stub.down.set(true);
    assertThatThrownBy(() -> consumer.pollOnce().block())
        .isInstanceOfSatisfying(
            RemoteException.class, e -> assertThat(e.service()).isEqualTo("scoring"));
    assertThat(consumer.cursor().block()).isZero();
    assertThat(openPlans()).isZero();
    // the scheduled poll falls back to "try again later": it completes without an error
    new WarningFeedScheduler(consumer, leases).poll().block();
    assertThat(consumer.cursor().block()).isZero();

    // back: both warnings consumed (page size 2, so a second, empty page is asked for)
    stub.down.set(false);
    assertThat(consumer.drain().block()).isEqualTo(2);
    assertThat(consumer.cursor().block()).isEqualTo(2);
    assertThat(openPlans()).isEqualTo(6); // C002: 4, C003: 2

    // a new warning arrives while scoring is down again, then is picked up from the cursor
    stub.feed.add(warnings.get(2));
    stub.down.set(true);
    assertThatThrownBy(() -> consumer.drain().block())
        .isInstanceOfSatisfying(
            RemoteException.class, e -> assertThat(e.service()).isEqualTo("scoring"));
    stub.down.set(false);
    assertThat(consumer.drain().block()).isEqualTo(1);
    assertThat(consumer.cursor().block()).isEqualTo(3);
    assertThat(openPlans()).isEqualTo(9); // + C005: 3

    // replaying the whole feed from 0 opens nothing new
    db.sql("update feed_cursor set last_seq = 0").then().block();
    assertThat(consumer.drain().block()).isEqualTo(3);
    assertThat(consumer.cursor().block()).isEqualTo(3);
    assertThat(openPlans()).isEqualTo(9);
    assertThat(
            db.sql("select count(*) from action_plan").map(r -> r.get(0, Long.class)).one().block())
        .isEqualTo(9);
  }

  @Test
  void customerServiceDownHoldsTheFeedAtItsCursorUntilTheBreakerLetsItResume() {
    reset();
    stub.feed.add(WorkedExampleTestData.warnings().get(0)); // C002: 4 plans
    var scheduler = new WarningFeedScheduler(consumer, leases);

    // the feed is readable but the profiles are not: nothing is consumed, the cursor stays, and
    // the scheduled polls end quietly while the customer breaker opens
    stub.profilesDown.set(true);
    for (int i = 0; i < 3; i++) {
      scheduler.poll().block();
    }
    assertThat(consumer.cursor().block()).isZero();
    assertThat(openPlans()).isZero();
    assertThat(breakers.circuitBreaker("customer").getState())
        .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN);

    // back: a later poll resumes from the cursor once the breaker lets a trial call through
    stub.profilesDown.set(false);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> scheduler.poll().then(consumer.cursor()).block() == 1);
    assertThat(openPlans()).isEqualTo(4);
    reset();
  }

  @Autowired WarningConsumer warnings;

  /** Every playbook rule (risk measures and tier playbooks) opens from this churn probability. */
  private void gateEveryRule(String minimum, String withoutPrediction) {
    for (String table : List.of("factor_measure", "tier_playbook")) {
      var update =
          db.sql(
                  "update "
                      + table
                      + " set min_churn_probability = cast(:min as numeric),"
                      + " without_churn_prediction = :without")
              .bind("without", withoutPrediction);
      (minimum == null ? update.bindNull("min", String.class) : update.bind("min", minimum))
          .then()
          .block();
    }
  }

  private Map<String, Long> openPlansByCustomer() {
    return db.sql(
            "select customer_id, count(*) from action_plan where status in ('PLANNED',"
                + " 'IN_PROGRESS') group by customer_id")
        .map(r -> Map.entry(r.get(0, String.class), r.get(1, Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .block();
  }

  /** Replays the worked example's three warnings (two pages) from an empty plan table. */
  private Map<String, Long> replay() {
    db.sql("update feed_cursor set last_seq = 0").then().block();
    db.sql("delete from action_plan").then().block();
    assertThat(consumer.drain().block()).isEqualTo(3);
    return openPlansByCustomer();
  }

  /**
   * Issue 20: playbook rules with a minimum churn probability open only for customers at or above
   * it under scoring's active model, read in one request per warning page; without a prediction the
   * rule's default (OPEN, or SKIP) applies, and with no rule gated scoring is not asked.
   */
  @Test
  void churnGatedRulesOpenFromTheirMinimumWithOneChurnRequestPerWarningPage() {
    reset();
    stub.feed.addAll(WorkedExampleTestData.warnings()); // C002: 4, C003: 2, C005: 3 plans
    int churnCalls = stub.churnCalls.get();
    assertThat(replay()).isEqualTo(Map.of("C002", 4L, "C003", 2L, "C005", 3L));
    assertThat(stub.churnCalls.get()).isEqualTo(churnCalls); // no rule gated: no churn request

    stub.activeChurnModel.set(4);
    stub.churn.put("C002", 0.8);
    stub.churn.put("C003", 0.3); // below: its measures do not open, nor the playbook instead
    // C005 has no prediction
    gateEveryRule("0.5", "OPEN");
    churnCalls = stub.churnCalls.get();
    assertThat(replay()).isEqualTo(Map.of("C002", 4L, "C005", 3L));
    // page size 2: two pages, one _entities request each, whatever the number of customers
    assertThat(stub.churnCalls.get() - churnCalls).isEqualTo(2);

    gateEveryRule("0.5", "SKIP");
    assertThat(replay()).isEqualTo(Map.of("C002", 4L));
    gateEveryRule("0.3", "SKIP");
    assertThat(replay()).isEqualTo(Map.of("C002", 4L, "C003", 2L));

    // no active model: nobody has a prediction, so each rule's default decides
    stub.activeChurnModel.set(null);
    assertThat(replay()).isEmpty();
    gateEveryRule("0.3", "OPEN");
    assertThat(replay()).isEqualTo(Map.of("C002", 4L, "C003", 2L, "C005", 3L));

    // scoring down while rules need churn risks: the page is not applied, the cursor stays
    stub.activeChurnModel.set(4);
    db.sql("update feed_cursor set last_seq = 0").then().block();
    db.sql("delete from action_plan").then().block();
    stub.churnDown.set(true);
    assertThatThrownBy(() -> warnings.apply(WorkedExampleTestData.warnings(), 0).block())
        .isInstanceOfSatisfying(
            RemoteException.class, e -> assertThat(e.service()).isEqualTo("scoring"));
    assertThat(consumer.cursor().block()).isZero();
    assertThat(openPlans()).isZero();
    reset();
  }

  /** This test and the one above share the database and the stub: each starts from nothing. */
  private void reset() {
    stub.feed.clear();
    stub.down.set(false);
    stub.profilesDown.set(false);
    stub.activeChurnModel.set(null);
    stub.churn.clear();
    stub.churnDown.set(false);
    gateEveryRule(null, "OPEN");
    db.sql("update feed_cursor set last_seq = 0").then().block();
    db.sql("delete from action_plan").then().block();
  }

  private long openPlans() {
    return db.sql("select count(*) from action_plan where status in ('PLANNED', 'IN_PROGRESS')")
        .map(r -> r.get(0, Long.class))
        .one()
        .block();
  }
}
