package io.retain.customer.profile;

import io.r2dbc.spi.Readable;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A customer's orders, tickets and surveys as Relay connections, newest first. Pages of many
 * customers load in one statement per distinct (first, after) through a data loader.
 */
@Controller
class HistoryController {

  record Ticket(
      String id,
      Instant openedAt,
      Instant firstResponseAt,
      Instant resolvedAt,
      String category,
      boolean complaint,
      String severity) {}

  record Survey(
      String id,
      Instant answeredAt,
      int score,
      Integer csat,
      String comment,
      Boolean wouldMention) {}

  record Edge(String cursor, Object node) {}

  record Connection(List<Edge> edges, CustomerController.PageInfo pageInfo) {}

  /** One customer's page request. */
  record PageKey(String history, String customerId, int first, Instant afterAt, String afterId) {}

  /** Table, time column and row mapper of each history. */
  private record History(String table, String at, Function<Readable, Object> node) {}

  private static final Map<String, History> HISTORIES =
      Map.of(
          "orders",
          new History(
              "customer_order",
              "placed_at",
              r ->
                  new CustomerController.Order(
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

  HistoryController(DatabaseClient db, BatchLoaderRegistry registry) {
    this.db = db;
    registry
        .forTypePair(PageKey.class, Connection.class)
        .withName("customerHistory")
        .registerMappedBatchLoader((keys, env) -> load(keys));
  }

  @SchemaMapping
  CompletableFuture<Connection> orders(
      Customer c,
      @Argument Integer first,
      @Argument String after,
      DataLoader<PageKey, Connection> customerHistory) {
    return customerHistory.load(key("orders", c, first, after));
  }

  @SchemaMapping
  CompletableFuture<Connection> tickets(
      Customer c,
      @Argument Integer first,
      @Argument String after,
      DataLoader<PageKey, Connection> customerHistory) {
    return customerHistory.load(key("tickets", c, first, after));
  }

  @SchemaMapping
  CompletableFuture<Connection> surveys(
      Customer c,
      @Argument Integer first,
      @Argument String after,
      DataLoader<PageKey, Connection> customerHistory) {
    return customerHistory.load(key("surveys", c, first, after));
  }

  private static PageKey key(String history, Customer c, Integer first, String after) {
    int n = first == null ? 20 : first;
    if (n < 1 || n > 500) {
      throw ApiException.badInput("first", "1 to 500", "first " + n + " is out of range");
    }
    if (after == null) {
      return new PageKey(history, c.id(), n, null, null);
    }
    String pos = Cursors.decode(after, "after");
    int bar = pos.indexOf('|');
    try {
      return new PageKey(
          history, c.id(), n, Instant.parse(pos.substring(0, bar)), pos.substring(bar + 1));
    } catch (RuntimeException e) {
      throw ApiException.badInput("after", "a cursor returned by this API", "Bad cursor");
    }
  }

  private Mono<Map<PageKey, Connection>> load(Set<PageKey> keys) {
    // keys that share history and page arguments load together in one statement
    Map<List<Object>, List<PageKey>> groups = new LinkedHashMap<>();
    for (PageKey k : keys) {
      List<Object> g = new ArrayList<>();
      g.add(k.history());
      g.add(k.first());
      g.add(String.valueOf(k.afterAt()));
      g.add(String.valueOf(k.afterId()));
      groups.computeIfAbsent(g, x -> new ArrayList<>()).add(k);
    }
    return Flux.fromIterable(groups.values())
        .concatMap(this::loadGroup)
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  private Flux<Map.Entry<PageKey, Connection>> loadGroup(List<PageKey> keys) {
    PageKey proto = keys.get(0);
    History h = HISTORIES.get(proto.history());
    Map<String, PageKey> byCustomer = new HashMap<>();
    keys.forEach(k -> byCustomer.put(k.customerId(), k));
    String sql =
        "select * from (select t.*, row_number() over (partition by customer_id order by "
            + h.at()
            + " desc, id desc) as rn from "
            + h.table()
            + " t where customer_id = any($1::text[])"
            + (proto.afterAt() == null ? "" : " and (" + h.at() + ", id) < ($3, $4)")
            + ") x where rn <= $2 order by customer_id, "
            + h.at()
            + " desc, id desc";
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(sql).bind(0, byCustomer.keySet().toArray(String[]::new)).bind(1, proto.first() + 1);
    if (proto.afterAt() != null) {
      spec = spec.bind(2, proto.afterAt()).bind(3, proto.afterId());
    }
    return spec.map(
            (r, m) ->
                Map.entry(
                    r.get("customer_id", String.class),
                    new Edge(
                        Cursors.encode(instant(r, h.at()) + "|" + r.get("id", String.class)),
                        h.node().apply(r))))
        .all()
        .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
        .flatMapMany(
            rows ->
                Flux.fromIterable(keys)
                    .map(
                        k -> {
                          List<Edge> all =
                              new ArrayList<>(rows.getOrDefault(k.customerId(), List.of()));
                          boolean more = all.size() > k.first();
                          List<Edge> page = more ? all.subList(0, k.first()) : all;
                          return Map.entry(
                              k,
                              new Connection(
                                  page,
                                  new CustomerController.PageInfo(
                                      more,
                                      page.isEmpty() ? null : page.get(page.size() - 1).cursor())));
                        }));
  }

  private static Instant instant(Readable r, String column) {
    OffsetDateTime t = r.get(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
