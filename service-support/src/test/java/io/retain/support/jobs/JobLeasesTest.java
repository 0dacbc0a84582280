package io.retain.support.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.retain.testpg.TestDatabase;
import io.retain.testpg.TestPostgres;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Two replicas' lease holders on one real PostgreSQL database: one runs a job at a time, the other
 * takes over within the ttl once the holder stops renewing, at once when it gives up cleanly, and a
 * holder whose lease was taken meanwhile has its running work cancelled.
 */
class JobLeasesTest {

  static final Duration TTL = Duration.ofSeconds(3);
  static DatabaseClient db;

  @BeforeAll
  static void database() {
    TestDatabase pg = TestPostgres.createDatabase("job_leases");
    db =
        DatabaseClient.create(
            // pooled as in the services: a new connection per statement made renewals slow enough,
            // on a loaded machine, to let a lease lapse while its holder was renewing it
            new ConnectionPool(
                ConnectionPoolConfiguration.builder(
                        new PostgresqlConnectionFactory(
                            PostgresqlConnectionConfiguration.builder()
                                .host(pg.server().host())
                                .port(pg.server().port())
                                .database(pg.name())
                                .username(pg.user())
                                .password(pg.password())
                                .build()))
                    .initialSize(2)
                    .maxSize(4)
                    .build()));
    // the services' migration (scoring V14, retention V6)
    db.sql(
            """
            create table job_lease (
              name        text        primary key,
              owner       text        not null,
              acquired_at timestamptz not null,
              expires_at  timestamptz not null)
            """)
        .then()
        .block();
  }

  final JobLeases a = new JobLeases(db, "replica-a", TTL);
  final JobLeases b = new JobLeases(db, "replica-b", TTL);

  @BeforeEach
  void noLeases() {
    db.sql("delete from job_lease").then().block();
  }

  String holder(String job) {
    return db.sql("select owner from job_lease where name = $1")
        .bind(0, job)
        .map((r, m) -> r.get(0, String.class))
        .one()
        .block();
  }

  @Test
  void onlyTheHolderRunsTheJob() {
    AtomicInteger runs = new AtomicInteger();
    Mono<String> work = Mono.fromCallable(() -> "run " + runs.incrementAndGet());

    assertThat(a.runIfOwner("feed", work).block()).isEqualTo("run 1");
    assertThat(b.runIfOwner("feed", work).block()).isNull();
    assertThat(a.runIfOwner("feed", work).block()).isEqualTo("run 2");
    assertThat(runs).hasValue(2);
    assertThat(holder("feed")).isEqualTo("replica-a");
    assertThat(a.holds("feed")).isTrue();
    assertThat(b.holds("feed")).isFalse();
    // another job's lease is independent
    assertThat(b.acquire("history").block()).isTrue();
  }

  @Test
  void theSupplierFormBuildsTheWorkForEachSubscriptionAsAScheduledTickNeeds() {
    AtomicInteger built = new AtomicInteger();
    // as Spring's @Scheduled does: the method called once, the Mono it returned subscribed per tick
    Mono<Integer> tick = a.runIfOwner("compaction", () -> Mono.just(built.incrementAndGet()));
    assertThat(built).hasValue(0);
    assertThat(tick.block()).isEqualTo(1);
    assertThat(tick.block()).isEqualTo(2);
    // the other replica's tick builds nothing: it does not hold the lease
    assertThat(b.runIfOwner("compaction", () -> Mono.just(built.incrementAndGet())).block())
        .isNull();
    assertThat(built).hasValue(2);
  }

  @Test
  void aHolderThatKeepsRenewingKeepsItsLeaseAndOneThatStopsLosesItWithinTheTtl() {
    // as Spring's @Scheduled does: the keeper's method called once (before any lease is held
    // here), its Mono subscribed on every tick
    Mono<Void> tick = new LeaseKeeper(a).renew();
    assertThat(a.acquire("feed").block()).isTrue();
    Disposable renewing =
        Flux.interval(Duration.ofMillis(200))
            .onBackpressureDrop()
            .concatMap(t -> tick, 1)
            .subscribe();
    try {
      // b tries every 100 ms for two ttls: refused every time while a renews
      assertThat(
              Flux.interval(Duration.ofMillis(100))
                  .onBackpressureDrop()
                  .concatMap(t -> b.acquire("feed"), 1)
                  .take(TTL.multipliedBy(2).toMillis() / 100)
                  .distinct()
                  .collectList()
                  .block())
          .containsExactly(false);
    } finally {
      renewing.dispose();
    }
    // a dies (no more renewals): b takes over once the ttl has run out, not before
    long stopped = System.nanoTime();
    await()
        .atMost(TTL.plusSeconds(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> b.acquire("feed").block());
    assertThat(Duration.ofNanos(System.nanoTime() - stopped))
        .isGreaterThanOrEqualTo(TTL.minusMillis(400));
    assertThat(holder("feed")).isEqualTo("replica-b");
    // a, back from its pause, finds the lease gone and runs nothing
    AtomicBoolean ran = new AtomicBoolean();
    assertThat(a.runIfOwner("feed", Mono.fromRunnable(() -> ran.set(true))).block()).isNull();
    assertThat(ran).isFalse();
    assertThat(a.holds("feed")).isFalse();
  }

  @Test
  void aCleanShutdownHandsTheLeaseOverAtOnce() {
    assertThat(a.acquire("feed").block()).isTrue();
    assertThat(b.acquire("feed").block()).isFalse();
    a.releaseAll().block();
    assertThat(b.acquire("feed").block()).isTrue();
    assertThat(holder("feed")).isEqualTo("replica-b");
  }

  @Test
  void workRunningWhenTheLeaseIsTakenIsCancelled() {
    AtomicBoolean cancelled = new AtomicBoolean();
    Mono<String> longWork =
        Mono.delay(Duration.ofSeconds(30)).thenReturn("done").doOnCancel(() -> cancelled.set(true));
    Mono<String> run = a.runIfOwner("feed", longWork).cache();
    run.subscribe();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.holds("feed"));
    // another replica took it over (a stalled past the ttl, say)
    db.sql("update job_lease set owner = 'replica-b' where name = 'feed'").then().block();
    assertThat(run.block(TTL.multipliedBy(3))).isNull();
    assertThat(cancelled).isTrue();
    assertThat(a.holds("feed")).isFalse();
  }
}
