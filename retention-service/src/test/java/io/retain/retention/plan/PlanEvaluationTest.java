package io.retain.retention.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.retain.retention.feed.StubServices;
import io.retain.retention.playbook.ExpectedEffect;
import io.retain.retention.remote.CustomerOutcome;
import io.retain.retention.remote.RemoteException;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Due plans are measured from customer-service outcomes; an outage is retried later. */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      // two failed calls in a row open the breaker; it lets a trial call through after 500 ms
      "resilience4j.circuitbreaker.instances.customer.sliding-window-size=2",
      "resilience4j.circuitbreaker.instances.customer.minimum-number-of-calls=2",
      "resilience4j.circuitbreaker.instances.customer.failure-rate-threshold=100",
      "resilience4j.circuitbreaker.instances.customer.wait-duration-in-open-state=500ms",
      "resilience4j.circuitbreaker.instances.customer.permitted-number-of-calls-in-half-open-state=1",
      "resilience4j.timelimiter.instances.customer.timeout-duration=30s"
    })
@ActiveProfiles("test")
class PlanEvaluationTest {

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
    registry.add("retain.remote.customer.url", stub::url);
    registry.add("retain.remote.scoring.url", stub::url);
  }

  @AfterAll
  static void stop() {
    stub.close();
  }

  @Autowired io.retain.support.jobs.JobLeases leases;
  @Autowired PlanRepository plans;
  @Autowired PlanEvaluator evaluator;
  @Autowired CircuitBreakerRegistry breakers;

  @Test
  void theSchedulerRetriesADueEvaluationThatCouldNotRunEvenAfterTheBreakerOpened() {
    long id =
        plans
            .insertIfNoneOpen(
                draft(
                    "C001",
                    "ACCOUNT_MANAGER_LEFT",
                    LocalDate.parse("2026-07-01"),
                    "ORDERS",
                    "GTE",
                    1),
                "MANUAL",
                null,
                OffsetDateTime.of(2026, 6, 1, 8, 0, 0, 0, ZoneOffset.UTC))
            .block()
            .id();
    stub.outcomes.put("C001", outcome("C001", 3, 0));
    var scheduler = new PlanEvaluationScheduler(evaluator, leases);

    // customer-service down: each scheduled run ends quietly, nothing is stored, and repeated
    // failures open the breaker
    stub.down.set(true);
    for (int i = 0; i < 3; i++) {
      scheduler.evaluate().block();
    }
    assertThat(plans.findById(id).block().evaluatedAt()).isNull();
    assertThat(breakers.circuitBreaker("customer").getState()).isEqualTo(CircuitBreaker.State.OPEN);

    // back: later runs measure the plan once the breaker lets a trial call through
    stub.down.set(false);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> scheduler.evaluate().then(plans.findById(id)).block().evaluatedAt() != null);
    ActionPlan measured = plans.findById(id).block();
    assertThat(measured.evaluatedAt()).isNotNull();
    assertThat(measured.observedValue()).isEqualByComparingTo("3");
    assertThat(measured.effectMet()).isTrue();
    assertThat(breakers.circuitBreaker("customer").getState())
        .isEqualTo(CircuitBreaker.State.CLOSED);
  }

  static CustomerOutcome outcome(String id, int orders, int complaints) {
    return new CustomerOutcome(
        id,
        orders,
        orders * 100.0,
        complaints,
        complaints,
        0,
        0,
        0,
        null,
        0,
        null,
        null,
        null,
        "ACTIVE");
  }

  @Test
  void duePlansAreMeasuredAndAnOutageIsRetriedLater() {
    OffsetDateTime opened = OffsetDateTime.of(2026, 6, 30, 12, 0, 0, 0, ZoneOffset.UTC);
    LocalDate due = LocalDate.parse("2026-07-14");
    long complaintPlan =
        plans
            .insertIfNoneOpen(
                draft("C002", "HIGH_COMPLAINT_RATE", due, "COMPLAINT_RATE", "LT", 5),
                "WARNING",
                null,
                opened)
            .block()
            .id();
    long winBackPlan =
        plans
            .insertIfNoneOpen(
                draft("C003", "NO_RECENT_PURCHASE", due, "WIN_BACK", "GTE", 1),
                "WARNING",
                null,
                opened)
            .block()
            .id();
    long notDue =
        plans
            .insertIfNoneOpen(
                draft("C005", "LOW_NPS", LocalDate.parse("2999-01-01"), "NPS", "GTE", 30),
                "WARNING",
                null,
                opened)
            .block()
            .id();
    stub.outcomes.put("C002", outcome("C002", 10, 0)); // complaint rate 0% < 5% → met
    stub.outcomes.put("C003", outcome("C003", 0, 0)); // no order → win-back 0 < 1 → not met

    // customer-service down: nothing is stored
    stub.down.set(true);
    assertThatThrownBy(() -> evaluator.evaluateDue().block())
        .isInstanceOfSatisfying(
            RemoteException.class, e -> assertThat(e.service()).isEqualTo("customer"));
    assertThat(plans.findById(complaintPlan).block().evaluatedAt()).isNull();

    // back: the next run measures both due plans, and only those
    stub.down.set(false);
    assertThat(evaluator.evaluateDue().block()).isEqualTo(2);
    ActionPlan complaint = plans.findById(complaintPlan).block();
    assertThat(complaint.observedValue()).isEqualByComparingTo("0");
    assertThat(complaint.effectMet()).isTrue();
    ActionPlan winBack = plans.findById(winBackPlan).block();
    assertThat(winBack.observedValue()).isEqualByComparingTo("0");
    assertThat(winBack.effectMet()).isFalse();
    assertThat(plans.findById(notDue).block().evaluatedAt()).isNull();

    // measured once
    assertThat(evaluator.evaluateDue().block()).isZero();
  }

  static PlanDraft draft(
      String customer, String code, LocalDate due, String metric, String cmp, int target) {
    return new PlanDraft(
        customer,
        "HIGH_RISK",
        code,
        code,
        null,
        "m",
        "m",
        "CUSTOMER_SUCCESS",
        due,
        new ExpectedEffect(metric, cmp, BigDecimal.valueOf(target), 30));
  }
}
