package io.retain.customer.churn;

import io.retain.customer.churn.ChurnStatistics.Cohort;
import io.retain.customer.churn.ChurnStatistics.Count;
import io.retain.customer.churn.ChurnStatistics.Group;
import io.retain.customer.churn.ChurnStatistics.LostValue;
import io.retain.customer.churn.ChurnStatistics.Point;
import io.retain.customer.churn.ChurnStatistics.SegmentRetention;
import io.retain.customer.churn.ChurnStatistics.Timing;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Churn statistics as a handful of aggregate statements. One rule for every date d: a customer is
 * churned at d when its churn record is dated before d and it was not won back on or before d; it
 * is active at d when it started on or before d and is not churned at d.
 */
@Repository
class ChurnRepository {

  /** Whether customer c (joined to churn record h) is active at the start of date expression d. */
  private static String activeAt(String d) {
    return "(c.since <= " + d + " and not " + churnedAt("h", d) + ")";
  }

  /** Whether churn record {@code h} (null columns: none) marks its customer churned at date d. */
  private static String churnedAt(String h, String d) {
    return "(%1$s.churned_at is not null and %1$s.churned_at < %2$s and (%1$s.won_back_at is null or %1$s.won_back_at > %2$s))"
        .formatted(h, d);
  }

  private final DatabaseClient db;

  ChurnRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Every churn record dated on or before {@code to}, by customer id. */
  Flux<ChurnStatistics.ChurnEvent> events(LocalDate to) {
    return db.sql(
            "select customer_id, churned_at, won_back_at from churn_record where churned_at <= $1"
                + " order by customer_id")
        .bind(0, to)
        .map(
            (r, m) ->
                new ChurnStatistics.ChurnEvent(
                    r.get("customer_id", String.class),
                    r.get("churned_at", LocalDate.class),
                    r.get("won_back_at", LocalDate.class)))
        .all();
  }

  Flux<SegmentRetention> segmentRetention(LocalDate asOf) {
    LocalDate start = asOf.minusMonths(12);
    return db.sql(
            "select c.kind, c.value_tier, count(*) as n,"
                + " count(*) filter (where not (h.churned_at is not null and h.churned_at > $1"
                + "   and h.churned_at <= $2)) as kept"
                + " from customer c left join churn_record h on h.customer_id = c.id"
                + " where "
                + activeAt("$1::date")
                + " group by c.kind, c.value_tier order by c.kind, c.value_tier")
        .bind(0, start)
        .bind(1, asOf)
        .map(
            (r, m) -> {
              long n = r.get("n", Long.class);
              long kept = r.get("kept", Long.class);
              return new SegmentRetention(
                  r.get("kind", String.class),
                  r.get("value_tier", String.class),
                  (double) kept / n,
                  (int) n);
            })
        .all();
  }

  Mono<List<Group>> groups(LocalDate from, LocalDate to, String column) {
    String key = column == null ? "null::text" : "c." + column;
    return db.sql(
            "select "
                + key
                + " as key,"
                + " count(*) filter (where "
                + activeAt("$1::date")
                + ") as active,"
                + " count(*) filter (where h.churned_at between $1 and $2) as churned,"
                + " count(*) filter (where h.churned_at between $1 and $2 and "
                + activeAt("$1::date")
                + ") as churned_from_start"
                + " from customer c left join churn_record h on h.customer_id = c.id"
                + " group by 1 order by 1 nulls first")
        .bind(0, from)
        .bind(1, to)
        .map(
            (r, m) ->
                new Group(
                    r.get("key", String.class),
                    r.get("active", Long.class).intValue(),
                    r.get("churned", Long.class).intValue(),
                    r.get("churned_from_start", Long.class).intValue()))
        .all()
        .collectList();
  }

  Mono<List<Point>> series(LocalDate from, LocalDate to, String unit) {
    // per step: active = started by then minus churned-and-not-back by then (index range counts)
    return db.sql(
            "with b as (select s::date as s, (s + ('1 ' || $3)::interval)::date as e"
                + "   from generate_series(date_trunc($3, $1::timestamp), $2::timestamp,"
                + "     ('1 ' || $3)::interval) s)"
                + " select b.s,"
                + "  (select count(*) from customer c where c.since <= b.s)"
                + "  - (select count(*) from churn_record h join customer c on c.id = h.customer_id"
                + "     where c.since <= b.s and "
                + churnedAt("h", "b.s")
                + ") as active,"
                + "  (select count(*) from churn_record h where h.churned_at >= greatest(b.s, $1)"
                + "     and h.churned_at < b.e and h.churned_at <= $2) as churned"
                + " from b order by b.s")
        .bind(0, from)
        .bind(1, to)
        .bind(2, unit)
        .map(
            (r, m) ->
                new Point(
                    r.get("s", LocalDate.class),
                    r.get("active", Long.class).intValue(),
                    r.get("churned", Long.class).intValue()))
        .all()
        .collectList();
  }

  Mono<Timing> timing(LocalDate asOf) {
    return db.sql(
            "select count(*) filter (where months_between(churned_at, $1) < 3) as a,"
                + " count(*) filter (where months_between(churned_at, $1) between 3 and 11) as b,"
                + " count(*) filter (where months_between(churned_at, $1) >= 12) as c"
                + " from churn_record where churned_at <= $1")
        .bind(0, asOf)
        .map(
            (r, m) ->
                new Timing(
                    r.get("a", Long.class).intValue(),
                    r.get("b", Long.class).intValue(),
                    r.get("c", Long.class).intValue()))
        .one();
  }

  /** Counts churns in the period by type, cause class and reason: "type", "cause", "reason". */
  Mono<Map<String, List<Count>>> counts(LocalDate from, LocalDate to) {
    return db.sql(
            "with p as (select * from churn_record where churned_at between $1 and $2),"
                + " n as (select count(*) as total from p)"
                + " select 'type' as dim, type as key, count(*) as cnt from p group by type"
                + " union all select 'cause', cause_class, count(*) from p group by cause_class"
                + " union all select 'reason', r, count(*) from p, unnest(p.reasons) r group by r"
                + " union all select 'total', null, total from n"
                + " order by 1, 3 desc, 2")
        .bind(0, from)
        .bind(1, to)
        .map(
            (r, m) ->
                new Object[] {
                  r.get("dim", String.class), r.get("key", String.class), r.get("cnt", Long.class)
                })
        .all()
        .collectList()
        .map(
            rows -> {
              long total =
                  rows.stream().filter(x -> x[0].equals("total")).mapToLong(x -> (Long) x[2]).sum();
              Map<String, List<Count>> out = new LinkedHashMap<>();
              for (String dim : List.of("type", "cause", "reason")) {
                out.put(dim, new ArrayList<>());
              }
              for (Object[] x : rows) {
                if (!x[0].equals("total")) {
                  long n = (Long) x[2];
                  out.get((String) x[0])
                      .add(new Count((String) x[1], (int) n, total == 0 ? 0 : (double) n / total));
                }
              }
              return out;
            });
  }

  /**
   * Churned: a churn dated in [from, to], whoever it was (a churn and win-back inside the period is
   * churned only). Retained: active at {@code from} and no churn dated in [from, to], so a customer
   * away at {@code from} is in neither group even when won back later.
   */
  Mono<LostValue> lostValue(LocalDate from, LocalDate to) {
    return db.sql(
            "with pop as ("
                + "  select c.id, (h.churned_at is not null and h.churned_at between $1 and $2) as churned,"
                + "    case when h.churned_at between $1 and $2 then h.churned_at else $2::date end as ref"
                + "  from customer c left join churn_record h on h.customer_id = c.id"
                + "  where h.churned_at between $1 and $2 or "
                + activeAt("$1::date")
                + "),"
                + " s as ("
                + "  select p.id, p.churned, coalesce(sum(o.amount), 0) as hist,"
                + "    coalesce(sum(o.amount) filter (where o.placed_at >="
                + "      (((p.ref + 1) - interval '12 months')::timestamp at time zone 'UTC')), 0) as annual"
                + "  from pop p left join customer_order o on o.customer_id = p.id"
                + "    and o.status = 'COMPLETED' and not o.test"
                + "    and o.placed_at < ((p.ref + 1)::timestamp at time zone 'UTC')"
                + "  group by p.id, p.churned)"
                + " select"
                + "  count(*) filter (where churned) as cn,"
                + "  coalesce(sum(hist) filter (where churned), 0) as ch,"
                + "  coalesce(sum(annual) filter (where churned), 0) as ca,"
                + "  count(*) filter (where not churned) as rn,"
                + "  coalesce(sum(hist) filter (where not churned), 0) as rh,"
                + "  coalesce(sum(annual) filter (where not churned), 0) as ra"
                + " from s")
        .bind(0, from)
        .bind(1, to)
        .map(
            (r, m) ->
                new LostValue(
                    r.get("cn", Long.class).intValue(),
                    r.get("ch", BigDecimal.class),
                    r.get("ca", BigDecimal.class),
                    r.get("rn", Long.class).intValue(),
                    r.get("rh", BigDecimal.class),
                    r.get("ra", BigDecimal.class)))
        .one();
  }

  /**
   * Customers who started in [from, to] by start month (the first cohort only from {@code from}
   * on); month k of a cohort ends at the next month start, or at the end of {@code to} for the last
   * one, and a customer is kept when not churned then.
   */
  Mono<List<Cohort>> cohorts(LocalDate from, LocalDate to) {
    return db.sql(
            "with co as ("
                + "  select date_trunc('month', c.since)::date as cohort, h.churned_at, h.won_back_at"
                + "  from customer c left join churn_record h on h.customer_id = c.id"
                + "  where c.since between $1 and $2),"
                + " k as (select generate_series(0, 1200) as k),"
                + " steps as (select distinct co.cohort, k.k,"
                + "    least((co.cohort + (k.k + 1) * interval '1 month')::date, $2::date + 1) as chk"
                + "  from co, k where (co.cohort + k.k * interval '1 month')::date <= $2)"
                + " select s.cohort, s.k, count(*) filter (where not "
                + churnedAt("co", "s.chk")
                + ") as kept, count(*) as size"
                + " from steps s join co on co.cohort = s.cohort"
                + " group by s.cohort, s.k order by s.cohort, s.k")
        .bind(0, from)
        .bind(1, to)
        .map(
            (r, m) ->
                new Object[] {
                  r.get("cohort", LocalDate.class),
                  r.get("kept", Long.class),
                  r.get("size", Long.class)
                })
        .all()
        .collectList()
        .map(
            rows -> {
              Map<LocalDate, List<Integer>> kept = new LinkedHashMap<>();
              Map<LocalDate, Integer> size = new LinkedHashMap<>();
              for (Object[] x : rows) {
                LocalDate c = (LocalDate) x[0];
                kept.computeIfAbsent(c, z -> new ArrayList<>()).add(((Long) x[1]).intValue());
                size.put(c, ((Long) x[2]).intValue());
              }
              List<Cohort> out = new ArrayList<>();
              kept.forEach(
                  (c, k) -> out.add(new Cohort(c.toString().substring(0, 7), size.get(c), k)));
              return out;
            });
  }
}
