package io.retain.retention.plan;

import io.r2dbc.spi.Readable;
import io.retain.retention.playbook.ExpectedEffect;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Stores action plans; the partial unique index keeps one open plan per customer and problem. */
@Repository
public class PlanRepository {

  private final DatabaseClient db;

  PlanRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Inserts the plan unless one is open for the same customer and problem; emits the new plan. */
  public Mono<ActionPlan> insertIfNoneOpen(
      PlanDraft d, String source, String owner, OffsetDateTime now) {
    ExpectedEffect e = d.expectedEffect();
    var spec =
        db.sql(
                "insert into action_plan (customer_id, tier, problem_code, problem_message,"
                    + " source, warning_seq, measures_en, measures_zh, department, owner, due_date,"
                    + " effect_metric, effect_comparator, effect_target, effect_within_days,"
                    + " status, created_at, updated_at) values (:customer, :tier, :code, :message,"
                    + " :source, :seq, :en, :zh, :dep, :owner, :due, :metric, :cmp, :target, :days,"
                    + " 'PLANNED', :now, :now) on conflict (customer_id, problem_code) where status"
                    + " in ('PLANNED', 'IN_PROGRESS') do nothing returning *")
            .bind("customer", d.customerId())
            .bind("tier", d.tier())
            .bind("code", d.problemCode())
            .bind("message", d.problemMessage())
            .bind("source", source)
            .bind("en", d.measuresEn())
            .bind("zh", d.measuresZh())
            .bind("dep", d.department())
            .bind("due", d.dueDate())
            .bind("metric", e.metric())
            .bind("cmp", e.comparator())
            .bind("target", e.target())
            .bind("days", e.withinDays())
            .bind("now", now);
    spec =
        d.warningSeq() == null
            ? spec.bindNull("seq", Long.class)
            : spec.bind("seq", d.warningSeq());
    spec = owner == null ? spec.bindNull("owner", String.class) : spec.bind("owner", owner);
    return spec.map(PlanRepository::plan).one();
  }

  public Mono<ActionPlan> findById(long id) {
    return db.sql("select * from action_plan where id = :id")
        .bind("id", id)
        .map(PlanRepository::plan)
        .one();
  }

  /** Plans of many customers at once (for batched Customer.actionPlans). */
  public Flux<ActionPlan> findByCustomers(Collection<String> customerIds, PlanStatus status) {
    String sql =
        "select * from action_plan where customer_id = any(:ids)"
            + (status == null ? "" : " and status = :status")
            + " order by customer_id, id";
    var spec = db.sql(sql).bind("ids", customerIds.toArray(String[]::new));
    if (status != null) {
      spec = spec.bind("status", status.name());
    }
    return spec.map(PlanRepository::plan).all();
  }

  /** Filters for the plan list; null fields do not filter. */
  public record Filter(
      String department,
      PlanStatus status,
      LocalDate dueBefore,
      boolean overdueOn,
      LocalDate today) {}

  /** A keyset page ordered by (due date, id), fetching one extra row to tell if more follow. */
  public Flux<ActionPlan> page(Filter f, LocalDate afterDue, Long afterId, int limit) {
    List<String> where = new ArrayList<>();
    if (f.department() != null) where.add("department = :dep");
    if (f.status() != null) where.add("status = :status");
    if (f.dueBefore() != null) where.add("due_date <= :dueBefore");
    if (f.overdueOn()) where.add("status in ('PLANNED', 'IN_PROGRESS') and due_date < :today");
    if (afterId != null) where.add("(due_date, id) > (:afterDue, :afterId)");
    String sql =
        "select * from action_plan"
            + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
            + " order by due_date, id limit :limit";
    var spec = db.sql(sql).bind("limit", limit);
    if (f.department() != null) spec = spec.bind("dep", f.department());
    if (f.status() != null) spec = spec.bind("status", f.status().name());
    if (f.dueBefore() != null) spec = spec.bind("dueBefore", f.dueBefore());
    if (f.overdueOn()) spec = spec.bind("today", f.today());
    if (afterId != null) spec = spec.bind("afterDue", afterDue).bind("afterId", afterId);
    return spec.map(PlanRepository::plan).all();
  }

  /** Moves a plan from one status to another; empty when it was not in {@code from} any more. */
  public Mono<ActionPlan> changeStatus(
      long id, PlanStatus from, PlanStatus to, OffsetDateTime now) {
    return db.sql(
            "update action_plan set status = :to, updated_at = :now where id = :id and status ="
                + " :from returning *")
        .bind("to", to.name())
        .bind("now", now)
        .bind("id", id)
        .bind("from", from.name())
        .map(PlanRepository::plan)
        .one();
  }

  /** Sets the owner; empty when the plan does not exist. */
  public Mono<ActionPlan> assign(long id, String owner, OffsetDateTime now) {
    return db.sql(
            "update action_plan set owner = :owner, updated_at = :now where id = :id returning *")
        .bind("owner", owner)
        .bind("now", now)
        .bind("id", id)
        .map(PlanRepository::plan)
        .one();
  }

  static ActionPlan plan(Readable r) {
    return new ActionPlan(
        r.get("id", Long.class),
        r.get("customer_id", String.class),
        r.get("tier", String.class),
        r.get("problem_code", String.class),
        r.get("problem_message", String.class),
        r.get("source", String.class),
        r.get("warning_seq", Long.class),
        r.get("measures_en", String.class),
        r.get("measures_zh", String.class),
        r.get("department", String.class),
        r.get("owner", String.class),
        r.get("due_date", LocalDate.class),
        new ExpectedEffect(
            r.get("effect_metric", String.class),
            r.get("effect_comparator", String.class),
            r.get("effect_target", BigDecimal.class),
            r.get("effect_within_days", Integer.class)),
        PlanStatus.valueOf(r.get("status", String.class)),
        r.get("observed_value", BigDecimal.class),
        r.get("effect_met", Boolean.class),
        r.get("evaluated_at", OffsetDateTime.class),
        r.get("created_at", OffsetDateTime.class),
        r.get("updated_at", OffsetDateTime.class));
  }
}
