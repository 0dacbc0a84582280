package io.retain.scoring.rescoring;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * RFM quintiles and segments over the scored population (DOMAIN.md §6), ranked in one statement
 * into their own narrow table ({@code assessment_rfm}, V4). A row is written only for a customer
 * whose quintiles changed; a customer no longer scored keeps the quintiles last ranked. Ties are
 * ranked by customer id (by its bytes), so that ranking the same values again moves nobody. An
 * update and an insert rather than one upsert: {@code on conflict do update} locks every row it
 * meets, changed or not. Measurements behind these choices: docs/benchmarks/rescoring.md.
 */
@Component
public class RfmRanking {

  private final DatabaseClient db;
  private final TransactionalOperator tx;

  RfmRanking(DatabaseClient db, TransactionalOperator tx) {
    this.db = db;
    this.tx = tx;
  }

  /** Ranks the population as it is stored now. */
  public Mono<Void> rank() {
    // in memory: three sorts of the scored population (on disk at 1M customers by default)
    Mono<Void> workMem = db.sql("set local work_mem = '128MB'").then();
    Mono<Void> rank =
        db.sql(
                """
            with q as (
              select customer_id, r, f, m, case
                  when r >= 4 and f >= 4 then 'CHAMPIONS'
                  when r = 3 and f >= 4 then 'LOYAL'
                  when r >= 4 and f between 2 and 3 then 'POTENTIAL_LOYALIST'
                  when r = 5 and f = 1 then 'NEW_CUSTOMER'
                  when r = 4 and f = 1 then 'PROMISING'
                  when r = 3 and f = 3 then 'NEEDS_ATTENTION'
                  when r = 3 and f <= 2 then 'ABOUT_TO_SLEEP'
                  when r <= 2 and f between 3 and 4 then 'AT_RISK'
                  when r <= 2 and f = 5 then 'CANT_LOSE'
                  when r = 2 and f <= 2 then 'HIBERNATING'
                  else 'LOST' end as segment
              from (select customer_id,
                  ntile(5) over (order by recency_days desc nulls first, customer_id collate "C") as r,
                  ntile(5) over (order by frequency, customer_id collate "C") as f,
                  ntile(5) over (order by monetary, customer_id collate "C") as m
                from assessment_latest where score is not null) ranked),
            moved as (
              update assessment_rfm x set r = q.r, f = q.f, m = q.m, segment = q.segment
              from q
              where x.customer_id = q.customer_id and (x.r, x.f, x.m) is distinct from (q.r, q.f, q.m))
            insert into assessment_rfm (customer_id, r, f, m, segment)
            select customer_id, r, f, m, segment from q
            where not exists (select 1 from assessment_rfm x where x.customer_id = q.customer_id)
            order by customer_id
            on conflict (customer_id) do nothing
            """)
            .fetch()
            .rowsUpdated()
            .then();
    return tx.transactional(workMem.then(rank));
  }
}
