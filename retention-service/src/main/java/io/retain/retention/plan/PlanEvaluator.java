package io.retain.retention.plan;

import io.retain.retention.playbook.ExpectedEffect;
import io.retain.retention.remote.CustomerClient;
import io.retain.retention.remote.CustomerOutcome;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Measures due plans' expected effects from customer-service outcomes over [opened, today]; when
 * customer-service is down nothing is stored and the next run retries.
 */
@Service
public class PlanEvaluator {

  private final DatabaseClient db;
  private final CustomerClient customers;
  private final Clock clock;

  PlanEvaluator(DatabaseClient db, CustomerClient customers, Clock clock) {
    this.db = db;
    this.customers = customers;
    this.clock = clock;
  }

  /** Evaluates every due, not yet evaluated, not cancelled plan; emits how many were stored. */
  public Mono<Integer> evaluateDue() {
    LocalDate today = LocalDate.now(clock);
    return db.sql(
            "select * from action_plan where due_date <= :today and evaluated_at is null and status"
                + " <> 'CANCELLED' order by id limit 500")
        .bind("today", today)
        .map(PlanRepository::plan)
        .all()
        .groupBy(p -> p.createdAt().toLocalDate())
        .concatMap(
            byDay ->
                byDay
                    .collectList()
                    .flatMap(
                        plans ->
                            customers
                                .customerOutcomes(
                                    plans.stream().map(ActionPlan::customerId).distinct().toList(),
                                    byDay.key(),
                                    today)
                                .map(
                                    os ->
                                        os.stream()
                                            .collect(
                                                Collectors.toMap(
                                                    CustomerOutcome::customerId,
                                                    Function.identity())))
                                .flatMapMany(outcomes -> store(plans, outcomes, byDay.key(), today))
                                .count()))
        .reduce(0L, Long::sum)
        .map(Long::intValue);
  }

  private Flux<Long> store(
      java.util.List<ActionPlan> plans,
      Map<String, CustomerOutcome> outcomes,
      LocalDate from,
      LocalDate to) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return Flux.fromIterable(plans)
        .concatMap(
            p -> {
              BigDecimal observed =
                  observe(p.expectedEffect(), outcomes.get(p.customerId()), from, to);
              boolean met = observed != null && p.expectedEffect().isMetBy(observed);
              var spec =
                  db.sql(
                          "update action_plan set observed_value = :v, effect_met = :met,"
                              + " evaluated_at = :now where id = :id and evaluated_at is null")
                      .bind("met", met)
                      .bind("now", now)
                      .bind("id", p.id());
              spec =
                  observed == null
                      ? spec.bindNull("v", BigDecimal.class)
                      : spec.bind("v", observed);
              return spec.fetch().rowsUpdated();
            });
  }

  /** The metric's value in the outcome; null when it cannot be measured from it. */
  static BigDecimal observe(
      ExpectedEffect effect, CustomerOutcome o, LocalDate from, LocalDate to) {
    if (o == null) {
      return null;
    }
    return switch (effect.metric()) {
      case "ORDERS" -> BigDecimal.valueOf(o.orders());
      case "WIN_BACK" -> o.wonBackAt() != null || o.orders() > 0 ? BigDecimal.ONE : BigDecimal.ZERO;
      case "COMPLAINT_RATE" ->
          o.orders() == 0
              ? (o.complaints() == 0 ? BigDecimal.ZERO : null)
              : BigDecimal.valueOf(o.complaints() * 100L)
                  .divide(BigDecimal.valueOf(o.orders()), 4, RoundingMode.HALF_UP);
      case "NPS" ->
          o.npsResponses() == 0
              ? null
              : BigDecimal.valueOf((o.npsPromoters() - o.npsDetractors()) * 100L)
                  .divide(BigDecimal.valueOf(o.npsResponses()), 4, RoundingMode.HALF_UP);
      case "ORDERS_PER_MONTH" -> {
        long days = Math.max(1, ChronoUnit.DAYS.between(from, to) + 1);
        yield BigDecimal.valueOf(o.orders() * 30L)
            .divide(BigDecimal.valueOf(days), 4, RoundingMode.HALF_UP);
      }
      default -> null; // e.g. UNRESOLVED_TICKETS: not in CustomerOutcome
    };
  }
}
