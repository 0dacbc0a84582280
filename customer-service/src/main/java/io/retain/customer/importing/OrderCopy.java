package io.retain.customer.importing;

import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Wrapped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The bulk path for orders, the one entity imported by the tens of millions: orders with new ids go
 * by {@code COPY} straight into {@code customer_order} (PostgreSQL's fastest way in: rows in its
 * own text format, inserted a page at a time), and only ids already stored take the upsert, which
 * changes a row only where a value differs. The import holds the feed lock, so it is the only
 * writer of orders and "which ids exist" cannot change under it. Each customer whose orders were
 * added gets one feed row.
 */
final class OrderCopy {

  static final String COPY =
      "copy customer_order (id, customer_id, placed_at, amount, currency, channel, status, test)"
          + " from stdin";

  private final DatabaseClient db;

  OrderCopy(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Writes valid orders of known customers, one row per id; {@code upsert} writes the ones whose id
   * is stored already (and their feed rows).
   */
  Mono<Void> write(
      List<Row> rows,
      Set<String> stored,
      int okRows,
      byte[] encoded,
      Function<List<Row>, Mono<Void>> upsert) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    return Mono.defer(
        () -> {
          List<Row> fresh = new ArrayList<>(rows.size());
          List<Row> again = new ArrayList<>();
          Set<String> customers = new LinkedHashSet<>();
          for (Row r : rows) {
            if (stored.contains(r.values()[0])) {
              again.add(r);
            } else {
              fresh.add(r);
              customers.add(r.values()[1]);
            }
          }
          Mono<Void> copy =
              fresh.isEmpty()
                  ? Mono.empty()
                  : db.inConnection(
                          c ->
                              postgres(c)
                                  .copyIn(
                                      COPY,
                                      Mono.fromCallable(
                                          () ->
                                              Unpooled.wrappedBuffer(
                                                  fresh.size() == okRows && encoded != null
                                                      ? encoded
                                                      : encode(fresh)))))
                      .then(
                          db.sql(
                                  "insert into activity_change (customer_id)"
                                      + " select unnest($1::text[])")
                              .bind(0, customers.toArray(String[]::new))
                              .fetch()
                              .rowsUpdated())
                      .then();
          return copy.then(again.isEmpty() ? Mono.empty() : upsert.apply(again));
        });
  }

  /** The transaction's own connection, under the pool's and Spring's wrappers. */
  static PostgresqlConnection postgres(Connection c) {
    Object o = c;
    while (!(o instanceof PostgresqlConnection) && o instanceof Wrapped<?> w) {
      o = w.unwrap();
    }
    if (o instanceof PostgresqlConnection pg) {
      return pg;
    }
    throw new IllegalStateException("not a PostgreSQL R2DBC connection: " + c.getClass());
  }

  /**
   * The rows in COPY's text format: tab-separated, {@code \N} for null, backslash escapes; the
   * defaults the table would give (currency, status, test) written out.
   */
  static byte[] encode(List<Row> rows) {
    StringBuilder text = new StringBuilder(rows.size() * 96);
    for (Row r : rows) {
      String[] v = r.values();
      field(text, v[0]).append('\t');
      field(text, v[1]).append('\t');
      field(text, v[2]).append('\t');
      field(text, v[3]).append('\t');
      field(text, v[4] == null ? "CNY" : v[4]).append('\t');
      field(text, v[5]).append('\t');
      field(text, v[6] == null ? "COMPLETED" : v[6]).append('\t');
      field(text, v[7] == null ? "false" : v[7]).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static StringBuilder field(StringBuilder out, String v) {
    if (v == null) {
      return out.append("\\N");
    }
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
    return out;
  }
}
