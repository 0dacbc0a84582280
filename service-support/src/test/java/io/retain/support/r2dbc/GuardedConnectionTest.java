package io.retain.support.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.retain.testpg.TestDatabase;
import io.retain.testpg.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connection whose query was cancelled while its rows arrived, against a real PostgreSQL: the
 * driver alone leaves it blocked for every later query; under the guard the rest is drained and the
 * connection kept, and one that still does not answer in time is closed and replaced.
 */
public class GuardedConnectionTest {

  static final Duration CHECK = Duration.ofMillis(500);
  // where a test proves the connection is kept: long enough that a loaded machine (CI beside
  // other builds) never turns a slow drain into a replaced connection
  static final Duration KEPT = Duration.ofSeconds(30);
  static final Duration WAIT = Duration.ofSeconds(60);
  public static final String MANY_ROWS = "select g from generate_series(1, 100000) g";
  static ConnectionFactory driver;
  final List<ConnectionPool> pools = new ArrayList<>();

  @BeforeAll
  static void database() {
    TestDatabase db = TestPostgres.createDatabase("cancel_guard");
    driver =
        new PostgresqlConnectionFactory(
            PostgresqlConnectionConfiguration.builder()
                .host(db.server().host())
                .port(db.server().port())
                .database(db.name())
                .username(db.user())
                .password(db.password())
                .build());
  }

  @AfterEach
  void closePools() {
    pools.forEach(p -> p.disposeLater().block(Duration.ofSeconds(10)));
  }

  ConnectionPool pool(ConnectionFactory factory, int size) {
    ConnectionPool pool =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(factory).initialSize(size).maxSize(size).build());
    pools.add(pool);
    return pool;
  }

  /**
   * {@code work} on a connection of {@code pool}, closed (released) when it ends or is cancelled.
   */
  static <T> Mono<T> onConnection(ConnectionFactory pool, Function<Connection, Mono<T>> work) {
    return Mono.usingWhen(pool.create(), work, Connection::close);
  }

  /** Takes the statement's first result and cancels: its rows are never read. */
  public static Mono<Void> cancelWhileRowsArrive(ConnectionFactory pool) {
    return onConnection(pool, c -> Flux.from(c.createStatement(MANY_ROWS).execute()).next().then());
  }

  static Mono<Integer> backendPid(ConnectionFactory pool) {
    return onConnection(
        pool,
        c ->
            Flux.from(c.createStatement("select pg_backend_pid() as pid").execute())
                .flatMap(r -> r.map((row, m) -> row.get("pid", Integer.class)))
                .single());
  }

  @Test
  void withoutTheGuardTheDriverLeavesTheConnectionBlocked() {
    ConnectionPool pool = pool(driver, 1);
    // set-up steps wait as long as the other tests' (a busy machine once took over 10 s)
    backendPid(pool).block(WAIT);
    cancelWhileRowsArrive(pool).block(WAIT);

    // the pool's one connection: the next query waits behind the cancelled one
    assertThatThrownBy(() -> backendPid(pool).block(Duration.ofSeconds(3)))
        .hasMessageContaining("Timeout on blocking read");
  }

  @Test
  void aResultACancelledQueryLeftUnreadIsDrainedAndTheConnectionKept() {
    ConnectionPool pool = pool(new GuardedConnectionFactory(driver, KEPT), 1);
    int before = backendPid(pool).block(WAIT);
    cancelWhileRowsArrive(pool).block(WAIT);

    assertThat(backendPid(pool).block(WAIT)).isEqualTo(before);
  }

  @Test
  void aConnectionThatDoesNotAnswerInTimeAfterACancelIsClosedAndReplaced() {
    ConnectionPool pool = pool(new GuardedConnectionFactory(driver, CHECK), 1);
    int before = backendPid(pool).block(Duration.ofSeconds(10));
    // still running on the server when cancelled: draining it would hold the connection 5 s
    onConnection(
            pool,
            c ->
                Flux.from(c.createStatement("select pg_sleep(5)").execute())
                    .flatMap(r -> r.getRowsUpdated())
                    .then())
        .timeout(Duration.ofMillis(100), Mono.empty())
        .block(Duration.ofSeconds(10));

    // answered by a new connection well before the sleep would have ended
    Integer after = backendPid(pool).block(Duration.ofSeconds(3));
    assertThat(after).isNotNull().isNotEqualTo(before);
  }

  @Test
  void aResultTakenBeforeTheCancelIsStillReadByItsConsumer() {
    ConnectionPool pool = pool(new GuardedConnectionFactory(driver, CHECK), 1);
    // Mono.from cancels the statement once it has its result, and reads the result after
    List<Integer> rows =
        onConnection(
                pool,
                c ->
                    Mono.from(c.createStatement("select g from generate_series(1, 3) g").execute())
                        .flatMap(
                            r ->
                                Flux.from(r.map((row, m) -> row.get(0, Integer.class)))
                                    .collectList()))
            .block(Duration.ofSeconds(10));
    assertThat(rows).containsExactly(1, 2, 3);
  }

  @Test
  void aQueryCancelledAfterItsFirstRowKeepsItsConnectionAndTheRestIsNotDecoded() {
    ConnectionPool pool = pool(new GuardedConnectionFactory(driver, KEPT), 1);
    int before = backendPid(pool).block(WAIT);
    // first() cancels after the first row; the rest is read but not mapped
    AtomicInteger mapped = new AtomicInteger();
    Object first =
        DatabaseClient.create(pool)
            .sql("select g from generate_series(1, 10000) g")
            .map(
                r -> {
                  mapped.incrementAndGet();
                  return r.get(0);
                })
            .first()
            .block(WAIT);
    assertThat(first).isEqualTo(1);
    assertThat(mapped.get()).isLessThan(100);

    assertThat(backendPid(pool).block(WAIT)).isEqualTo(before);
  }

  @Test
  void aConnectionUsedDirectlyThroughTheDriverIsCheckedBeforeItIsPooledAgain() {
    ConnectionPool pool = pool(new GuardedConnectionFactory(driver, CHECK), 1);
    int before = backendPid(pool).block(Duration.ofSeconds(10));
    // as customer-service's COPY does: the driver's own connection, out of the guard's sight
    onConnection(
            pool,
            c -> {
              Object o = c;
              while (!(o instanceof PostgresqlConnection) && o instanceof Wrapped<?> w) {
                o = w.unwrap();
              }
              PostgresqlConnection pg = (PostgresqlConnection) o;
              return Flux.from(pg.createStatement(MANY_ROWS).execute()).next().then();
            })
        .block(Duration.ofSeconds(10));

    Integer after = backendPid(pool).block(Duration.ofSeconds(5));
    assertThat(after).isNotNull().isNotEqualTo(before);
  }

  @Test
  void aRollbackAfterACancelledStatementEndsAndTheTransactionIsGone() {
    ConnectionPool pool = pool(new GuardedConnectionFactory(driver, CHECK), 1);
    onConnection(
            pool,
            c ->
                Mono.from(c.beginTransaction())
                    .then(
                        Mono.from(
                            c.createStatement("create table guarded_rollback(x int)").execute()))
                    .flatMap(r -> Mono.from(r.getRowsUpdated()))
                    .then(Flux.from(c.createStatement(MANY_ROWS).execute()).next())
                    .then(Mono.from(c.rollbackTransaction())))
        .block(Duration.ofSeconds(10)); // without the guard the rollback waits for ever

    Long tables =
        DatabaseClient.create(pool)
            .sql("select count(*) from pg_tables where tablename = 'guarded_rollback'")
            .map(r -> r.get(0, Long.class))
            .one()
            .block(Duration.ofSeconds(10));
    assertThat(tables).isZero();
  }

  @Test
  void manyQueriesCancelledAtRandomMomentsLeaveEveryConnectionAnswering() throws Exception {
    int size = 4;
    DatabaseClient db =
        DatabaseClient.create(pool(new GuardedConnectionFactory(driver, CHECK), size));
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 200; i++) {
        Disposable query =
            db.sql("select g from generate_series(1, 2000) g").map(r -> r.get(0)).all().subscribe();
        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(3_000_000);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        query.dispose();
      }
      // every connection of the pool busy at once: a blocked one would not answer
      Long answered =
          Flux.range(0, size)
              .flatMap(x -> db.sql("select pg_sleep(0.2)").fetch().rowsUpdated(), size)
              .count()
              .block(Duration.ofSeconds(20));
      assertThat(answered).as("round %d", round).isEqualTo(size);
    }
  }
}
