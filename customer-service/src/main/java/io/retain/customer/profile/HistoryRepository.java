package io.retain.customer.profile;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** A customer's orders, tickets and surveys, newest first, many customers in one statement. */
@Repository
class HistoryRepository {

  /** Position of a history item: its time and id, newest first. */
  record Position(Instant at, String id) {}

  /** One history item of a customer with its position (time, id). */
  record Item(String customerId, Instant at, String id, Object node) {}

  /** Table, time column and row mapper of each history. */
  private record History(String table, String at, Function<Readable, Object> node) {}

  private static final Map<String, History> HISTORIES =
      Map.of(
          "orders",
          new History(
              "customer_order",
              "placed_at",
              r ->
                  new Order(
                      r.get("id", String.class),
                      instant(r, "placed_at"),
                      r.get("amount", BigDecimal.class).doubleValue(),
                      r.get("currency", String.class),
                      r.get("channel", String.class),
                      r.get("status", String.class),
                      Boolean.TRUE.equals(r.get("test", Boolean.class)))),
          "tickets",
          new History(
              "service_ticket",
              "opened_at",
              r ->
                  new Ticket(
                      r.get("id", String.class),
                      instant(r, "opened_at"),
                      instant(r, "first_response_at"),
                      instant(r, "resolved_at"),
                      r.get("category", String.class),
                      Boolean.TRUE.equals(r.get("complaint", Boolean.class)),
                      r.get("severity", String.class))),
          "surveys",
          new History(
              "survey_response",
              "answered_at",
              r ->
                  new Survey(
                      r.get("id", String.class),
                      instant(r, "answered_at"),
                      r.get("nps", Short.class),
                      r.get("csat", Short.class) == null
                          ? null
                          : r.get("csat", Short.class).intValue(),
                      r.get("comment", String.class),
                      r.get("would_mention", Boolean.class))));

  private final DatabaseClient db;

  HistoryRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Up to {@code limit} items of {@code history} ("orders", "tickets" or "surveys") per customer,
   * older than {@code after} when given, by customer, newest first.
   */
  Flux<Item> newestFirst(
      String history, Collection<String> customerIds, int limit, Position after) {
    History h = HISTORIES.get(history);
    String sql =
        "select * from (select t.*, row_number() over (partition by customer_id order by "
            + h.at()
            + " desc, id desc) as rn from "
            + h.table()
            + " t where customer_id = any($1::text[])"
            + (after == null ? "" : " and (" + h.at() + ", id) < ($3, $4)")
            + ") x where rn <= $2 order by customer_id, "
            + h.at()
            + " desc, id desc";
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(sql).bind(0, customerIds.toArray(String[]::new)).bind(1, limit);
    if (after != null) {
      spec = spec.bind(2, after.at()).bind(3, after.id());
    }
    return spec.map(
            (r, m) ->
                new Item(
                    r.get("customer_id", String.class),
                    instant(r, h.at()),
                    r.get("id", String.class),
                    h.node().apply(r)))
        .all();
  }

  private static Instant instant(Readable r, String column) {
    OffsetDateTime t = r.get(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
