package io.retain.customer.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.retain.customer.CustomerApiTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The order digest the aggregates read follows every change to the orders: inserts, a status
 * change, a move to another customer, a delete, a truncate, and two transactions writing orders of
 * the same customer at once (the later one must not overwrite the earlier's order).
 */
class OrderDigestTest extends CustomerApiTest {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");

  @Autowired DatabaseClient db;
  @Autowired ActivityRepository activity;
  @Autowired ConnectionFactory connections;

  void sql(String sql) {
    db.sql(sql).fetch().rowsUpdated().block();
  }

  CustomerActivity of(String id) {
    return activity.forIds(List.of(id), AS_OF, 12).blockFirst();
  }

  @Test
  void aStatusChangeAMoveAndADeleteAreReflected() {
    sql(
        "insert into customer (id, name, kind, industry, since, value_tier) values"
            + " ('D1', 'One', 'ENTERPRISE', 'retail', '2024-01-01', 'ORDINARY'),"
            + " ('D2', 'Two', 'ENTERPRISE', 'retail', '2024-01-01', 'ORDINARY')");
    sql(
        "insert into customer_order (id, customer_id, placed_at, amount, status, test) values"
            + " ('DO1', 'D1', '2026-05-01T10:00:00Z', 100.00, 'COMPLETED', false),"
            + " ('DO2', 'D1', '2026-06-01T10:00:00Z', 50.50, 'COMPLETED', false),"
            + " ('DO3', 'D1', '2026-06-02T10:00:00Z', 7.00, 'CANCELLED', false)");
    assertThat(of("D1").ordersAllTime()).isEqualTo(2);
    assertThat(of("D1").spendAllTime()).isEqualTo(150.50);

    sql("update customer_order set status = 'REFUNDED' where id = 'DO2'");
    assertThat(of("D1").spendAllTime()).isEqualTo(100.00);
    sql("update customer_order set status = 'COMPLETED' where id = 'DO3'");
    assertThat(of("D1").spendAllTime()).isEqualTo(107.00);

    // moved: leaves one customer's digest, joins the other's
    sql("update customer_order set customer_id = 'D2' where id = 'DO1'");
    assertThat(of("D1").spendAllTime()).isEqualTo(7.00);
    assertThat(of("D2").spendAllTime()).isEqualTo(100.00);

    sql("delete from customer_order where customer_id = 'D1'");
    assertThat(of("D1").ordersAllTime()).isZero();
    assertThat(of("D1").lastOrderDate()).isNull();
    assertThat(of("D2").ordersAllTime()).isEqualTo(1);
  }

  @Test
  void purchaseDaysCountOneCalendarDayOnceAndNothingAfterTheDate() {
    sql(
        "insert into customer (id, name, kind, industry, since, value_tier) values"
            + " ('P1', 'Days', 'ENTERPRISE', 'retail', '2024-01-01', 'ORDINARY')");
    sql(
        "insert into customer_order (id, customer_id, placed_at, amount, status, test) values"
            + " ('PO1', 'P1', '2026-05-01T08:00:00Z', 10.00, 'COMPLETED', false),"
            + " ('PO2', 'P1', '2026-05-01T23:59:59Z', 20.00, 'COMPLETED', false),"
            + " ('PO3', 'P1', '2026-06-10T10:00:00Z', 30.00, 'COMPLETED', false),"
            + " ('PO4', 'P1', '2026-06-11T10:00:00Z', 40.00, 'CANCELLED', false),"
            + " ('PO5', 'P1', '2026-06-12T10:00:00Z', 50.00, 'COMPLETED', true)");
    CustomerActivity c = of("P1");
    assertThat(c.ordersAllTime()).isEqualTo(3);
    assertThat(c.purchaseDaysAllTime()).isEqualTo(2); // May 1 twice, June 10
    // orders after the as-of date change nothing as of it (the churn features' no-leakage cut)
    sql(
        "insert into customer_order (id, customer_id, placed_at, amount, status, test) values"
            + " ('PO6', 'P1', '2026-07-01T00:00:00Z', 60.00, 'COMPLETED', false),"
            + " ('PO7', 'P1', '2026-07-02T00:00:00Z', 70.00, 'COMPLETED', false)");
    assertThat(of("P1")).isEqualTo(c);
    assertThat(
            activity
                .forIds(List.of("P1"), LocalDate.parse("2026-07-02"), 12)
                .blockFirst()
                .purchaseDaysAllTime())
        .isEqualTo(4);
  }

  @Test
  void truncatingTheOrdersEmptiesTheDigests() {
    sql(
        "insert into customer (id, name, kind, industry, since, value_tier) values"
            + " ('T1', 'Truncated', 'ENTERPRISE', 'retail', '2024-01-01', 'ORDINARY')");
    sql(
        "insert into customer_order (id, customer_id, placed_at, amount, status, test) values"
            + " ('TO1', 'T1', '2026-05-01T10:00:00Z', 12.00, 'COMPLETED', false)");
    assertThat(of("T1").ordersAllTime()).isEqualTo(1);
    sql("truncate customer_order");
    assertThat(of("T1").ordersAllTime()).isZero();
  }

  @Test
  void twoTransactionsAddingOrdersOfOneCustomerBothCount() throws Exception {
    sql(
        "insert into customer (id, name, kind, industry, since, value_tier) values"
            + " ('C1', 'Concurrent', 'ENTERPRISE', 'retail', '2024-01-01', 'ORDINARY')");
    Connection first = Mono.from(connections.create()).block();
    Connection second = Mono.from(connections.create()).block();
    try {
      Mono.from(first.beginTransaction()).block();
      Mono.from(second.beginTransaction()).block();
      insert(first, "CO1", "10.00").block();
      int firstPid = backendPid(first);
      int secondPid = backendPid(second);
      // the second's digest refresh waits for the first to commit, then sees its order: proven
      // by PostgreSQL naming the first as what blocks the second (not by the insert being slow)
      CompletableFuture<Void> secondInsert = insert(second, "CO2", "20.00").toFuture();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          db.sql("select pg_blocking_pids(:pid) as b")
                              .bind("pid", secondPid)
                              .map(r -> r.get("b", Integer[].class))
                              .one()
                              .block())
                      .containsExactly(firstPid));
      assertThat(secondInsert).isNotDone();
      Mono.from(first.commitTransaction()).block();
      secondInsert.get(10, TimeUnit.SECONDS);
      Mono.from(second.commitTransaction()).block();
    } finally {
      Mono.from(first.close()).block(Duration.ofSeconds(5));
      Mono.from(second.close()).block(Duration.ofSeconds(5));
    }
    CustomerActivity c = of("C1");
    assertThat(c.ordersAllTime()).isEqualTo(2);
    assertThat(c.spendAllTime()).isEqualTo(30.00);
  }

  private static int backendPid(Connection c) {
    return Mono.from(c.createStatement("select pg_backend_pid()").execute())
        .flatMap(r -> Mono.from(r.map((row, meta) -> row.get(0, Integer.class))))
        .block();
  }

  private static Mono<Void> insert(Connection c, String id, String amount) {
    return Flux.from(
            c.createStatement(
                    "insert into customer_order (id, customer_id, placed_at, amount, status, test)"
                        + " values ($1, 'C1', '2026-06-01T10:00:00Z', $2::numeric, 'COMPLETED', false)")
                .bind("$1", id)
                .bind("$2", amount)
                .execute())
        .flatMap(r -> r.getRowsUpdated())
        .then();
  }
}
