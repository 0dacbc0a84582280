package io.retain.customer.activity;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/**
 * Purchase summaries computed set-based in PostgreSQL, one statement per page of customer ids (the
 * pages of {@link ActivityRepository#pageBounds}): orders grouped by customer and UTC day, then
 * days by customer. Customers without a counted order by the date are left out (the model starts at
 * a first purchase).
 */
@Repository
class PurchaseSummaryRepository {

  // $1 = after id, $2 = asOf, $3 = page upper bound (inclusive) or null for none. The ids go
  // through an array for the reason ActivityRepository#range gives (a hashed plan per page).
  private static final String PAGE =
      """
      with ids as (select unnest(array(select id from customer where id > $1
          and ($3::text is null or id <= $3::text) order by id)) as id),
      days as (
        select o.customer_id, (o.placed_at at time zone 'UTC')::date as day, sum(o.amount) as spend,
          row_number() over (partition by o.customer_id order by (o.placed_at at time zone 'UTC')::date) as k
        from customer_order o join ids on ids.id = o.customer_id
        where o.status = 'COMPLETED' and not o.test
          and o.placed_at < (($2::date + 1)::timestamp at time zone 'UTC')
        group by o.customer_id, (o.placed_at at time zone 'UTC')::date)
      select customer_id, count(*) - 1 as x, min(day) as first_day, max(day) as last_day,
        round(avg(spend) filter (where k > 1), 6) as mean_repeat_spend
      from days group by customer_id order by customer_id
      """;

  private final DatabaseClient db;
  private final ActivityRepository activity;

  PurchaseSummaryRepository(DatabaseClient db, ActivityRepository activity) {
    this.db = db;
    this.activity = activity;
  }

  /**
   * Customers with {@code afterId < id <= upTo} ({@code upTo} null: no upper bound), in id order.
   */
  Flux<PurchaseSummary> range(String afterId, String upTo, LocalDate asOf) {
    var sql = db.sql(PAGE).bind(0, afterId == null ? "" : afterId).bind(1, asOf);
    sql = upTo == null ? sql.bindNull(2, String.class) : sql.bind(2, upTo);
    return sql.map(
            (r, meta) ->
                new PurchaseSummary(
                    r.get("customer_id", String.class),
                    r.get("x", Long.class).intValue(),
                    r.get("first_day", LocalDate.class),
                    r.get("last_day", LocalDate.class),
                    r.get("mean_repeat_spend", BigDecimal.class)))
        .all();
  }

  /** Every customer's summary after {@code after}, page by page, in id order. */
  Flux<Flux<PurchaseSummary>> pages(String after, LocalDate asOf, int pageSize) {
    return activity
        .pageBounds(after, pageSize)
        .collectList()
        .flatMapMany(
            bounds ->
                Flux.range(0, bounds.size() + 1)
                    .map(
                        i ->
                            range(
                                i == 0 ? after : bounds.get(i - 1),
                                i < bounds.size() ? bounds.get(i) : null,
                                asOf)));
  }
}
