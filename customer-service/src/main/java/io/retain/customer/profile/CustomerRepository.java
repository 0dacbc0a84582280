package io.retain.customer.profile;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Customer profiles and the small per-customer data shown with them (churn, recent orders). */
@Repository
class CustomerRepository {

  static final String COLUMNS =
      "id, name, kind, industry, size, age_band, income_band, region, since, value_tier,"
          + " account_manager, status, contact_name, phone, email";

  /** Filter of the customers list; null or empty parts do not filter. */
  record CustomerFilter(
      List<String> kinds,
      List<String> industries,
      List<String> valueTiers,
      List<String> regions,
      List<String> statuses,
      LocalDate sinceFrom,
      LocalDate sinceTo,
      String nameContains) {

    static final CustomerFilter NONE =
        new CustomerFilter(null, null, null, null, null, null, null, null);
  }

  private final DatabaseClient db;

  CustomerRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Customer> findById(String id) {
    return db.sql("select " + COLUMNS + " from customer where id = $1")
        .bind(0, id)
        .map((r, m) -> Customer.from(r))
        .one();
  }

  /** Customers with these ids, in no particular order; unknown ids are left out. */
  Flux<Customer> findAllById(Collection<String> ids) {
    return db.sql("select " + COLUMNS + " from customer where id = any($1::text[])")
        .bind(0, ids.toArray(String[]::new))
        .map((r, m) -> Customer.from(r))
        .all();
  }

  /** Up to {@code limit} customers matching the filter with ids after {@code afterId}, by id. */
  Flux<Customer> page(CustomerFilter f, String afterId, int limit) {
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
    args.add(limit);
    sql.append(" order by id limit $").append(args.size());
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString());
    for (int i = 0; i < args.size(); i++) {
      spec = spec.bind(i, args.get(i));
    }
    return spec.map((r, m) -> Customer.from(r)).all();
  }

  private static void addIn(
      StringBuilder sql, List<Object> args, String column, List<String> values) {
    if (values != null && !values.isEmpty()) {
      args.add(values.toArray(String[]::new));
      sql.append(" and ").append(column).append(" = any($").append(args.size()).append("::text[])");
    }
  }

  /** The churn records of these customers, keyed by customer id. */
  Flux<Map.Entry<String, ChurnRecord>> churnRecords(Collection<String> ids) {
    return db.sql(
            "select customer_id, churned_at, type, cause_class, reasons, won_back_at from churn_record"
                + " where customer_id = any($1::text[])")
        .bind(0, ids.toArray(String[]::new))
        .map(
            (r, m) ->
                Map.entry(
                    r.get("customer_id", String.class),
                    new ChurnRecord(
                        r.get("churned_at", LocalDate.class),
                        r.get("type", String.class),
                        r.get("cause_class", String.class),
                        List.of(r.get("reasons", String[].class)),
                        r.get("won_back_at", LocalDate.class))))
        .all();
  }

  /** Each customer's {@code perCustomer} newest orders, by customer, newest first. */
  Flux<Map.Entry<String, Order>> recentOrders(Collection<String> ids, int perCustomer) {
    return db.sql(
            """
            select * from (
              select o.*, row_number() over (partition by customer_id order by placed_at desc, id desc) as rn
              from customer_order o where customer_id = any($1::text[])) x
            where rn <= $2 order by customer_id, placed_at desc, id desc
            """)
        .bind(0, ids.toArray(String[]::new))
        .bind(1, perCustomer)
        .map(
            (r, m) ->
                Map.entry(
                    r.get("customer_id", String.class),
                    new Order(
                        r.get("id", String.class),
                        r.get("placed_at", OffsetDateTime.class).toInstant(),
                        r.get("amount", BigDecimal.class).doubleValue(),
                        r.get("currency", String.class),
                        r.get("channel", String.class),
                        r.get("status", String.class),
                        Boolean.TRUE.equals(r.get("test", Boolean.class)))))
        .all();
  }
}
