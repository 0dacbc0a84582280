package io.retain.retention.plan;

import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes plans opened from warnings, with the feed cursor in the same transaction; the partial
 * unique index keeps one open plan per customer and problem, so a replayed warning opens nothing.
 */
@Repository
public class PlanStore {

  public static final String FEED = "scoring-warnings";
  private final DatabaseClient db;
  private final TransactionalOperator tx;

  PlanStore(DatabaseClient db, TransactionalOperator tx) {
    this.db = db;
    this.tx = tx;
  }

  public Mono<Map<String, PlanPolicy.Measure>> measures() {
    return db.sql("select * from measure")
        .map(
            (r, m) ->
                new PlanPolicy.Measure(
                    r.get("risk_code", String.class),
                    r.get("text_en", String.class),
                    r.get("department", String.class),
                    r.get("metric", String.class),
                    r.get("comparator", String.class),
                    r.get("target") == null ? null : ((Number) r.get("target")).doubleValue(),
                    r.get("within_days", Integer.class)))
        .all()
        .collectMap(PlanPolicy.Measure::riskCode);
  }

  public Mono<Map<String, PlanPolicy.Playbook>> playbooks() {
    return db.sql("select tier, strategy_en, departments from playbook")
        .map(
            (r, m) ->
                new PlanPolicy.Playbook(
                    r.get("tier", String.class),
                    r.get("strategy_en", String.class),
                    List.of(r.get("departments", String[].class))))
        .all()
        .collectMap(PlanPolicy.Playbook::tier);
  }

  public Mono<Long> cursor() {
    return db.sql("select position from feed_cursor where name = $1")
        .bind(0, FEED)
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .defaultIfEmpty(0L);
  }

  /** Opens the drafts (skipping problems already open) and moves the cursor, atomically. */
  public Mono<Long> open(List<PlanPolicy.Draft> drafts, long cursor, Map<PlanPolicy.Draft, Long> seqs) {
    Mono<Long> inserts =
        Flux.fromIterable(drafts)
            .concatMap(
                d -> {
                  DatabaseClient.GenericExecuteSpec s =
                      db.sql(
                              """
                              insert into action_plan (customer_id, tier, problem_code, problem_message, measures,
                                department, due_date, metric, comparator, target, within_days, warning_seq)
                              values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                              on conflict (customer_id, problem_code) where status in ('PLANNED', 'IN_PROGRESS')
                              do nothing
                              """)
                          .bind(0, d.customerId())
                          .bind(1, d.tier())
                          .bind(2, d.problemCode())
                          .bind(3, d.problemMessage())
                          .bind(4, d.measures())
                          .bind(5, d.department())
                          .bind(6, d.dueDate())
                          .bind(11, seqs.getOrDefault(d, 0L));
                  PlanPolicy.Measure e = d.effect();
                  s = e == null || e.metric() == null ? s.bindNull(7, String.class) : s.bind(7, e.metric());
                  s = e == null || e.comparator() == null ? s.bindNull(8, String.class) : s.bind(8, e.comparator());
                  s = e == null || e.target() == null ? s.bindNull(9, java.math.BigDecimal.class) : s.bind(9, java.math.BigDecimal.valueOf(e.target()));
                  s = e == null || e.withinDays() == null ? s.bindNull(10, Integer.class) : s.bind(10, e.withinDays());
                  return s.fetch().rowsUpdated();
                })
            .reduce(0L, Long::sum);
    Mono<Long> moveCursor =
        db.sql(
                "insert into feed_cursor (name, position) values ($1, $2)"
                    + " on conflict (name) do update set position = excluded.position")
            .bind(0, FEED)
            .bind(1, cursor)
            .fetch()
            .rowsUpdated();
    return tx.transactional(inserts.flatMap(n -> moveCursor.thenReturn(n)));
  }
}
