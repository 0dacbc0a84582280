package io.retain.customer.profile;

import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import io.retain.support.security.Caller;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Customer profiles: one customer, filtered pages, entity references, nested data in batches. */
@Controller
class CustomerController {

  static final String COLUMNS =
      "id, name, kind, industry, size, age_band, income_band, region, since, value_tier,"
          + " account_manager, status, contact_name, phone, email";
  private final DatabaseClient db;

  CustomerController(DatabaseClient db) {
    this.db = db;
  }

  record Contact(String name, String phone, String email, boolean masked) {}

  record Order(
      String id,
      Instant placedAt,
      double amount,
      String currency,
      String channel,
      String status,
      boolean test) {}

  record ChurnRecord(
      LocalDate churnedAt,
      String type,
      String causeClass,
      List<String> reasons,
      LocalDate wonBackAt) {}

  record CustomerEdge(String cursor, Customer node) {}

  record PageInfo(boolean hasNextPage, String endCursor) {}

  record CustomerConnection(List<CustomerEdge> edges, PageInfo pageInfo) {}

  record CustomerFilter(
      List<String> kinds,
      List<String> industries,
      List<String> valueTiers,
      List<String> regions,
      List<String> statuses,
      LocalDate sinceFrom,
      LocalDate sinceTo,
      String nameContains) {}

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Customer> customer(@Argument String id) {
    return db.sql("select " + COLUMNS + " from customer where id = $1")
        .bind(0, id.trim().toUpperCase(Locale.ROOT))
        .map((r, m) -> Customer.from(r))
        .one();
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<CustomerConnection> customers(
      @Argument CustomerFilter filter, @Argument Integer first, @Argument String after) {
    int n = first == null ? 20 : first;
    if (n < 1 || n > 500) {
      throw ApiException.badInput("first", "1 to 500", "first " + n + " is out of range");
    }
    String afterId = after == null ? "" : Cursors.decode(after, "after");
    CustomerFilter f =
        filter == null
            ? new CustomerFilter(null, null, null, null, null, null, null, null)
            : filter;
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from customer where id > $1");
    List<Object> args = new ArrayList<>();
    args.add(afterId);
    addIn(sql, args, "kind", f.kinds());
    addIn(sql, args, "industry", f.industries());
    addIn(sql, args, "value_tier", f.valueTiers());
    addIn(sql, args, "region", f.regions());
    addIn(sql, args, "status", f.statuses());
    if (f.sinceFrom() != null) {
      args.add(f.sinceFrom());
      sql.append(" and since >= $").append(args.size());
    }
    if (f.sinceTo() != null) {
      args.add(f.sinceTo());
      sql.append(" and since <= $").append(args.size());
    }
    if (f.nameContains() != null && !f.nameContains().isBlank()) {
      args.add("%" + f.nameContains().toLowerCase(Locale.ROOT).replace("%", "\\%") + "%");
      sql.append(" and lower(name) like $").append(args.size());
    }
    args.add(n + 1);
    sql.append(" order by id limit $").append(args.size());
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString());
    for (int i = 0; i < args.size(); i++) {
      spec = spec.bind(i, args.get(i));
    }
    return spec.map((r, m) -> Customer.from(r))
        .all()
        .collectList()
        .map(
            rows -> {
              boolean more = rows.size() > n;
              List<Customer> page = more ? rows.subList(0, n) : rows;
              List<CustomerEdge> edges =
                  page.stream().map(c -> new CustomerEdge(Cursors.encode(c.id()), c)).toList();
              return new CustomerConnection(
                  edges,
                  new PageInfo(
                      more, edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()));
            });
  }

  private static void addIn(
      StringBuilder sql, List<Object> args, String column, List<String> values) {
    if (values != null && !values.isEmpty()) {
      args.add(values.toArray(String[]::new));
      sql.append(" and ").append(column).append(" = any($").append(args.size()).append("::text[])");
    }
  }

  /** Federation: other subgraphs' references resolved in one query. */
  @EntityMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<Customer> customer(@Argument List<String> idList) {
    return db.sql("select " + COLUMNS + " from customer where id = any($1::text[])")
        .bind(0, idList.toArray(String[]::new))
        .map((r, m) -> Customer.from(r))
        .all()
        .collectMap(Customer::id, Function.identity())
        .flatMapMany(byId -> Flux.fromIterable(idList).map(id -> byId.get(id)));
  }

  @SchemaMapping
  Mono<Contact> contact(Customer c) {
    return Caller.mayReadPii()
        .map(
            clear ->
                clear
                    ? new Contact(c.contactName(), c.phone(), c.email(), false)
                    : new Contact(
                        Masking.name(c.contactName()),
                        Masking.phone(c.phone()),
                        Masking.email(c.email()),
                        true));
  }

  @BatchMapping
  Mono<Map<Customer, ChurnRecord>> churn(List<Customer> customers) {
    Map<String, Customer> byId = byId(customers);
    return db.sql(
            "select customer_id, churned_at, type, cause_class, reasons, won_back_at from churn_record"
                + " where customer_id = any($1::text[])")
        .bind(0, byId.keySet().toArray(String[]::new))
        .map(
            (r, m) ->
                Map.entry(
                    byId.get(r.get("customer_id", String.class)),
                    new ChurnRecord(
                        r.get("churned_at", LocalDate.class),
                        r.get("type", String.class),
                        r.get("cause_class", String.class),
                        List.of(r.get("reasons", String[].class)),
                        r.get("won_back_at", LocalDate.class))))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  @BatchMapping
  Mono<Map<Customer, List<Order>>> recentOrders(List<Customer> customers) {
    Map<String, Customer> byId = byId(customers);
    return db.sql(
            """
            select * from (
              select o.*, row_number() over (partition by customer_id order by placed_at desc, id desc) as rn
              from customer_order o where customer_id = any($1::text[])) x
            where rn <= 10 order by customer_id, placed_at desc, id desc
            """)
        .bind(0, byId.keySet().toArray(String[]::new))
        .map(
            (r, m) ->
                Map.entry(
                    r.get("customer_id", String.class),
                    new Order(
                        r.get("id", String.class),
                        r.get("placed_at", OffsetDateTime.class).toInstant(),
                        r.get("amount", java.math.BigDecimal.class).doubleValue(),
                        r.get("currency", String.class),
                        r.get("channel", String.class),
                        r.get("status", String.class),
                        Boolean.TRUE.equals(r.get("test", Boolean.class)))))
        .all()
        .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
        .map(
            grouped -> {
              Map<Customer, List<Order>> out = new java.util.LinkedHashMap<>();
              for (Customer c : customers) {
                out.put(c, new ArrayList<>(grouped.getOrDefault(c.id(), List.of())));
              }
              return out;
            });
  }

  private static Map<String, Customer> byId(List<Customer> customers) {
    Map<String, Customer> m = new java.util.LinkedHashMap<>();
    customers.forEach(c -> m.put(c.id(), c));
    return m;
  }
}
