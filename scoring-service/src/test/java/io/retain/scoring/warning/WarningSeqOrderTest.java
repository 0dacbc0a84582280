package io.retain.scoring.warning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The out-of-order seq gap (ADR 0015) on a real PostgreSQL: two transactions write warnings at
 * once, the one holding the lower seq commits last, and a reader polls in between. The reader is
 * {@link WarningRepository#after}, which both the HTTP warning feed and the Kafka relay read
 * through. Before V18 the second transaction took seq 2 and committed at once, the reader moved its
 * cursor to 2 and never saw seq 1; with warning seqs taken in commit order the second transaction
 * waits for the first, and a reader that polls at any point sees every warning exactly once.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class WarningSeqOrderTest {

  static final Duration DEADLINE = Duration.ofSeconds(20);

  @Autowired DatabaseClient db;
  @Autowired TransactionalOperator tx;
  @Autowired WarningRepository warnings;

  @BeforeEach
  void noWarnings() {
    db.sql("truncate warning").then().block();
  }

  Mono<Long> insert(String customerId) {
    return db.sql(
            """
            insert into warning (customer_id, as_of, from_tier, to_tier, reasons, risk_factors)
            values ($1, date '2026-06-30', 'LOYAL', 'AT_RISK', '{TIER_DROP}', '[]')""")
        .bind(0, customerId)
        .fetch()
        .rowsUpdated();
  }

  /** Whether a session of this database waits for a lock (the second writer, after the fix). */
  boolean aWriterWaitsForALock() {
    return db.sql(
                "select count(*) from pg_locks l join pg_database d on d.oid = l.database"
                    + " where not l.granted and d.datname = current_database()")
            .map((r, m) -> ((Number) r.get(0)).longValue())
            .one()
            .block()
        > 0;
  }

  @Test
  void aLowerSeqCommittingLateIsNotSkippedByAReaderThatPolledInBetween() throws Exception {
    // first writer: inserts (takes the lower seq) and holds its transaction open on a gate
    CompletableFuture<Void> inserted = new CompletableFuture<>();
    CompletableFuture<Void> gate = new CompletableFuture<>();
    CompletableFuture<Void> first =
        tx.transactional(
                insert("c-first")
                    .doOnSuccess(n -> inserted.complete(null))
                    .then(Mono.fromFuture(gate)))
            .toFuture();
    inserted.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    // second writer: inserts and commits at once (before the fix) or waits for the first (after)
    CompletableFuture<Long> second = tx.transactional(insert("c-second")).toFuture();
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> second.isDone() || aWriterWaitsForALock());

    // the reader polls while the first writer is still open, and moves its cursor
    List<WarningController.WarningEvent> seen =
        new ArrayList<>(warnings.after(0, 500).collectList().block());
    long cursor = seen.isEmpty() ? 0 : seen.get(seen.size() - 1).seq();

    gate.complete(null);
    first.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    second.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    seen.addAll(warnings.after(cursor, 500).collectList().block());
    assertThat(seen)
        .extracting(WarningController.WarningEvent::customerId)
        .as("every committed warning reaches a reader that polled while one was in flight")
        .containsExactly("c-first", "c-second");
    assertThat(seen.get(0).seq()).isLessThan(seen.get(1).seq());
  }
}
