package io.retain.customer.activity;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/**
 * The activity aggregates, read by one set-based statement per call whatever the number of
 * customers: the ids (given, or the next keyset page) are joined to orders, tickets and surveys;
 * tickets and surveys are aggregated in PostgreSQL, each customer's counted orders come packed in
 * one value ({@code order_digest}, kept by triggers) and are aggregated in Java ({@link
 * OrderAggregates}). The whole computation in SQL is kept as the reference the tests and the
 * rescoring benchmark's floor use ({@code activity-aggregates.sql}).
 */
@Repository
public class ActivityRepository {

  // $2 = asOf, $3 = window months; "end" is the end of asOf in UTC. Orders come as the customer's
  // digest (every counted order, one index probe per customer instead of a heap visit per order)
  // and are aggregated in Java (OrderAggregates), orders after asOf left out there; tickets and
  // surveys, a tenth of the rows, are aggregated here. "start" is the first instant in the window:
  // a date d is in it (months_between(d, asOf) < W) exactly when d > asOf - W months, month ends
  // clamped as both java.time and PostgreSQL clamp them, so a timestamp comparison replaces per-row
  // date arithmetic.
  private static final String AGGREGATES =
      """
      p as (select $2::date as as_of, (($2::date + 1)::timestamp at time zone 'UTC') as end_ts,
        ((($2::date - make_interval(months => $3::int))::date + 1)::timestamp at time zone 'UTC') as start_ts),
      tk as (
        select t.customer_id,
          count(*) filter (where t.opened_at >= p.start_ts) as n,
          count(*) filter (where t.complaint and t.opened_at >= p.start_ts) as complaints,
          avg(extract(epoch from (least(coalesce(t.first_response_at, p.end_ts), p.end_ts) - t.opened_at)) / 3600.0)
            filter (where t.opened_at >= p.start_ts) as resp,
          count(*) filter (where (t.resolved_at is null or t.resolved_at >= p.end_ts)
                             and p.end_ts - t.opened_at >= interval '7 days') as open7
        from service_ticket t join ids on ids.id = t.customer_id, p
        where t.opened_at < p.end_ts group by t.customer_id),
      sv as (
        select s.customer_id,
          count(*) filter (where s.nps >= 9) as prom,
          count(*) filter (where s.nps between 7 and 8) as pas,
          count(*) filter (where s.nps <= 6) as det,
          avg(s.csat) as csat, count(s.csat) as csat_n
        from survey_response s join ids on ids.id = s.customer_id, p
        where s.answered_at < p.end_ts and s.answered_at >= p.start_ts
        group by s.customer_id)
      select c.id, c.since, c.kind, c.industry, c.value_tier, c.region, c.status,
        (select max(a.changed_at) from account_manager_change a
          where a.customer_id = c.id and a.changed_at <= p.as_of) as am_changed,
        o.orders,
        coalesce(tk.complaints, 0) as complaints, coalesce(tk.n, 0) as tickets, tk.resp,
        coalesce(tk.open7, 0) as open7, coalesce(sv.prom, 0) as prom, coalesce(sv.pas, 0) as pas,
        coalesce(sv.det, 0) as det, sv.csat, coalesce(sv.csat_n, 0) as csat_n
      from customer c join ids on ids.id = c.id cross join p
        left join order_digest o on o.customer_id = c.id
        left join tk on tk.customer_id = c.id left join sv on sv.customer_id = c.id
      order by c.id
      """;

  private final DatabaseClient db;

  ActivityRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Aggregates for the given ids (unknown ids are left out), in id order. */
  public Flux<CustomerActivity> forIds(List<String> ids, LocalDate asOf, int windowMonths) {
    return db.sql("with ids as (select unnest($1::text[]) as id),\n" + AGGREGATES)
        .bind(0, ids.toArray(String[]::new))
        .bind(1, asOf)
        .bind(2, windowMonths)
        .map((row, meta) -> map(row, asOf, windowMonths))
        .all();
  }

  /**
   * Every {@code pageSize}-th customer id after {@code afterId}, in order: the upper bounds of the
   * bulk form's pages, known up front so that several pages can be aggregated at a time.
   */
  public Flux<String> pageBounds(String afterId, int pageSize) {
    return db.sql(
            "select id from (select id, row_number() over (order by id) as n from customer"
                + " where id > $1) x where n % $2 = 0 order by id")
        .bind(0, afterId == null ? "" : afterId)
        .bind(1, pageSize)
        .map((row, meta) -> row.get("id", String.class))
        .all();
  }

  /**
   * Aggregates for the customers with {@code afterId < id <= upTo} ({@code upTo} null: no upper
   * bound). The ids go through an array, as in {@link #forIds}: joined to a plain range subquery
   * the planner hashed the whole customer and ticket tables for every page (full rescoring
   * quadratic in customers).
   */
  public Flux<CustomerActivity> range(String afterId, String upTo, LocalDate asOf, int w) {
    var sql =
        db.sql(
                "with ids as (select unnest(array(select id from customer where id > $1"
                    + (upTo == null ? "" : " and id <= $4")
                    + " order by id)) as id),\n"
                    + AGGREGATES)
            .bind(0, afterId == null ? "" : afterId)
            .bind(1, asOf)
            .bind(2, w);
    return (upTo == null ? sql : sql.bind(3, upTo)).map((row, meta) -> map(row, asOf, w)).all();
  }

  /**
   * Pages of {@code pageSize} customers between precomputed id bounds, in order; consumed two at a
   * time, PostgreSQL computes the next page while this one is encoded and consumed (memory bounded
   * by two pages).
   */
  public Flux<Flux<CustomerActivity>> pages(String after, LocalDate asOf, int w, int pageSize) {
    return pageBounds(after, pageSize)
        .collectList()
        .flatMapMany(
            bounds -> {
              List<String> lows = new ArrayList<>();
              lows.add(after);
              lows.addAll(bounds);
              return Flux.range(0, lows.size())
                  .map(i -> range(lows.get(i), i < bounds.size() ? bounds.get(i) : null, asOf, w));
            });
  }

  static CustomerActivity map(Readable r, LocalDate asOf, int w) {
    OrderAggregates o = OrderAggregates.ofDigest(r.get("orders", ByteBuffer.class), asOf, w);
    return new CustomerActivity(
        r.get("id", String.class),
        r.get("since", LocalDate.class),
        r.get("kind", String.class),
        r.get("industry", String.class),
        r.get("value_tier", String.class),
        r.get("region", String.class),
        r.get("status", String.class),
        r.get("am_changed", LocalDate.class),
        o.n(),
        o.buckets(),
        o.sum(),
        o.sumSquares(),
        o.stableN(),
        o.stableSum(),
        o.stableSumSquares(),
        o.last(),
        o.first(),
        o.allN(),
        o.allSum(),
        o.sum(),
        num(r, "complaints").intValue(),
        num(r, "tickets").intValue(),
        r.get("resp") == null ? null : num(r, "resp").doubleValue(),
        num(r, "open7").intValue(),
        num(r, "prom").intValue(),
        num(r, "pas").intValue(),
        num(r, "det").intValue(),
        r.get("csat") == null ? null : num(r, "csat").doubleValue(),
        num(r, "csat_n").intValue(),
        o.allDays());
  }

  private static Number num(Readable r, String col) {
    Object v = r.get(col);
    if (v instanceof BigDecimal b) {
      return b;
    }
    return (Number) v;
  }
}
