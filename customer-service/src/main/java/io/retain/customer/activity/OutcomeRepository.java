package io.retain.customer.activity;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** The change feed, profile fields and per-period outcomes other services read. */
@Repository
class OutcomeRepository {

  private final DatabaseClient db;

  OutcomeRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Up to {@code limit} feed changes after sequence number {@code after}, in order. */
  Flux<ActivityChange> changes(long after, int limit) {
    return db.sql(
            "select seq, customer_id, changed_at from activity_change where seq > $1 order by seq limit $2")
        .bind(0, after)
        .bind(1, limit)
        .map(
            (r, m) ->
                new ActivityChange(
                    r.get("seq", Long.class),
                    r.get("customer_id", String.class),
                    r.get("changed_at", OffsetDateTime.class).toInstant()))
        .all();
  }

  /** Profiles of these customers, in no particular order; unknown ids are left out. */
  Flux<CustomerProfile> profiles(List<String> ids) {
    return db.sql(
            """
            select c.id, c.kind, c.industry, c.value_tier, c.region, c.status, c.since,
                   coalesce(h.reasons, '{}') as reasons
            from customer c left join churn_record h on h.customer_id = c.id
            where c.id = any($1::text[])
            """)
        .bind(0, ids.toArray(String[]::new))
        .map(
            (r, m) ->
                new CustomerProfile(
                    r.get("id", String.class),
                    r.get("kind", String.class),
                    r.get("industry", String.class),
                    r.get("value_tier", String.class),
                    r.get("region", String.class),
                    r.get("status", String.class),
                    r.get("since", LocalDate.class),
                    List.of(r.get("reasons", String[].class))))
        .all();
  }

  /**
   * What these customers did in [from, to] (UTC days): completed non-test orders, tickets,
   * complaints and survey answers, with their churn state; unknown ids are left out.
   */
  Flux<CustomerOutcome> outcomes(List<String> ids, LocalDate from, LocalDate to) {
    return db.sql(
            """
            with ids as (select unnest($1::text[]) as id),
            p as (select ($2::date::timestamp at time zone 'UTC') as f,
                         (($3::date + 1)::timestamp at time zone 'UTC') as t),
            o as (select o.customer_id, count(*) as n, sum(o.amount) as s,
                         max((o.placed_at at time zone 'UTC')::date) as last_d
                  from customer_order o join ids on ids.id = o.customer_id, p
                  where o.status = 'COMPLETED' and not o.test and o.placed_at >= p.f and o.placed_at < p.t
                  group by o.customer_id),
            tk as (select t.customer_id, count(*) as n, count(*) filter (where t.complaint) as c
                   from service_ticket t join ids on ids.id = t.customer_id, p
                   where t.opened_at >= p.f and t.opened_at < p.t group by t.customer_id),
            sv as (select s.customer_id, count(*) as n, count(*) filter (where s.nps >= 9) as prom,
                          count(*) filter (where s.nps <= 6) as det, avg(s.csat) as csat,
                          count(s.csat) as csat_n
                   from survey_response s join ids on ids.id = s.customer_id, p
                   where s.answered_at >= p.f and s.answered_at < p.t group by s.customer_id)
            select c.id, coalesce(o.n, 0) as orders, coalesce(o.s, 0) as spend, o.last_d,
                   coalesce(tk.c, 0) as complaints, coalesce(tk.n, 0) as tickets,
                   coalesce(sv.n, 0) as nps_n, coalesce(sv.prom, 0) as prom, coalesce(sv.det, 0) as det,
                   sv.csat, coalesce(sv.csat_n, 0) as csat_n, h.churned_at, h.won_back_at, c.status
            from customer c join ids on ids.id = c.id
              left join o on o.customer_id = c.id left join tk on tk.customer_id = c.id
              left join sv on sv.customer_id = c.id left join churn_record h on h.customer_id = c.id
            """)
        .bind(0, ids.toArray(String[]::new))
        .bind(1, from)
        .bind(2, to)
        .map(
            (r, m) ->
                new CustomerOutcome(
                    r.get("id", String.class),
                    ((Number) r.get("orders")).intValue(),
                    ((Number) r.get("spend")).doubleValue(),
                    ((Number) r.get("complaints")).intValue(),
                    ((Number) r.get("tickets")).intValue(),
                    ((Number) r.get("nps_n")).intValue(),
                    ((Number) r.get("prom")).intValue(),
                    ((Number) r.get("det")).intValue(),
                    r.get("csat") == null ? null : ((Number) r.get("csat")).doubleValue(),
                    ((Number) r.get("csat_n")).intValue(),
                    r.get("last_d", LocalDate.class),
                    r.get("churned_at", LocalDate.class),
                    r.get("won_back_at", LocalDate.class),
                    r.get("status", String.class)))
        .all();
  }
}
