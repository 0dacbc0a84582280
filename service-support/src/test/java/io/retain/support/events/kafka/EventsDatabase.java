package io.retain.support.events.kafka;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.retain.support.events.EventBatchHandler;
import io.retain.testpg.TestDatabase;
import io.retain.testpg.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tests' consumer database (a fresh PostgreSQL database): {@code kafka_offset} and {@code
 * outbox_relay} as the services create them, an outbox, and non-idempotent effects (a balance that
 * adds each event's amount) so that an event applied twice shows.
 */
final class EventsDatabase implements AutoCloseable {

  final ConnectionPool pool;
  final DatabaseClient db;
  final TransactionalOperator tx;

  EventsDatabase(String name) {
    TestDatabase d = TestPostgres.createDatabase(name);
    pool =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(
                    new PostgresqlConnectionFactory(
                        PostgresqlConnectionConfiguration.builder()
                            .host(d.server().host())
                            .port(d.server().port())
                            .database(d.name())
                            .username(d.user())
                            .password(d.password())
                            .build()))
                .maxSize(8)
                .build());
    db = DatabaseClient.create(pool);
    tx = TransactionalOperator.create(new R2dbcTransactionManager(pool));
    for (String ddl : resource("/events/kafka-test-tables.sql").split(";")) {
      if (!ddl.isBlank()) {
        db.sql(ddl).then().block();
      }
    }
  }

  void reset() {
    db.sql("truncate kafka_offset, outbox_relay, outbox, effect, total").then().block();
  }

  /** The consumer logic of the tests: a batch's effects and its position in one transaction. */
  EventBatchHandler<Moved> handler(String consumer) {
    return (events, position) ->
        tx.transactional(
            Flux.fromIterable(events)
                .concatMap(e -> apply(consumer, e))
                .then(position.through(events.size() - 1)));
  }

  Mono<Void> apply(String consumer, Moved e) {
    return db.sql("insert into effect (consumer, customer_id, seq, amount) values ($1, $2, $3, $4)")
        .bind(0, consumer)
        .bind(1, e.customerId())
        .bind(2, e.seq())
        .bind(3, e.amount())
        .then()
        .then(
            db.sql(
                    "insert into total values ($1, $2)"
                        + " on conflict (customer_id) do update set amount = total.amount + $2")
                .bind(0, e.customerId())
                .bind(1, (long) e.amount())
                .then());
  }

  /** The test outbox read as a relay reads it: rows after a seq, in order, as events. */
  OutboxSource outbox() {
    return (after, limit) ->
        db.sql("select seq, customer_id, amount from outbox where seq > $1 order by seq limit $2")
            .bind(0, after)
            .bind(1, limit)
            .map(
                (r, m) -> {
                  Moved e =
                      new Moved(
                          1,
                          r.get("seq", Long.class),
                          r.get("customer_id", String.class),
                          r.get("amount", Integer.class));
                  return new OutboxMessage(e.seq(), e.customerId(), e.json());
                })
            .all();
  }

  /** Balance per customer. */
  Map<String, Long> totals() {
    return db.sql("select customer_id, amount from total")
        .map((r, m) -> Map.entry(r.get(0, String.class), r.get(1, Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
        .block();
  }

  long count(String sql) {
    return db.sql(sql).map((r, m) -> ((Number) r.get(0)).longValue()).one().block();
  }

  /** The group's stored next offsets, summed over partitions. */
  long storedOffsets(String group) {
    return count(
        "select coalesce(sum(next_offset), 0) from kafka_offset where consumer = '" + group + "'");
  }

  private static String resource(String path) {
    try (InputStream in = EventsDatabase.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    pool.dispose();
  }
}
