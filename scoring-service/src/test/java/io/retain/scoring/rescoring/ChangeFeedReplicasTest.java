package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retain.scoring.customer.CustomerClient;
import io.retain.scoring.customer.CustomerClient.ActivityChange;
import io.retain.support.jobs.JobLeases;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Two replicas' change-feed pollers on one database (two instances of the poller, each with its own
 * lease holder, over a real customer-service stub): only the lease holder polls, the other takes
 * over within the ttl once the holder stops, and the same changes applied by both at once store
 * every score and warning once.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@Import(WorkedExampleDay.class)
class ChangeFeedReplicasTest {

  static final Duration TTL = Duration.ofSeconds(6);
  static final CustomerServiceStub STUB = CustomerServiceStub.start();

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.customer.url", STUB::url);
  }

  @AfterAll
  static void stopStub() {
    STUB.server.stop(0);
  }

  @Autowired DatabaseClient db;
  @Autowired CustomerClient customers;
  @Autowired ActivityChangeConsumer consumer;
  @Autowired FeedCursors cursors;
  @Autowired FeedStatus status;

  ChangeFeedPoller replica(String name) {
    return new ChangeFeedPoller(customers, consumer, cursors, status, new JobLeases(db, name, TTL));
  }

  long count(String sql) {
    return db.sql(sql).map((r, m) -> ((Number) r.get(0)).longValue()).one().block();
  }

  long cursor() {
    return cursors.position(ChangeFeedPoller.FEED, 0L).block();
  }

  @BeforeEach
  void empty() {
    STUB.changes.clear();
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning, job_lease")
        .then()
        .block();
    db.sql("delete from feed_cursor").then().block();
  }

  @Test
  void onlyTheLeaseHolderPollsAndAnotherTakesOverWhenItStops() {
    ChangeFeedPoller a = replica("replica-a");
    ChangeFeedPoller b = replica("replica-b");
    STUB.change("C001");
    STUB.change("C002");

    // both replicas poll in turn; a, first, holds the lease and renews it with every poll
    long lastRenewal = 0;
    for (int i = 0; i < 5; i++) {
      int before = STUB.feedReads.get();
      a.poll().block();
      lastRenewal = System.nanoTime();
      assertThat(STUB.feedReads.get()).isEqualTo(before + 1);
      b.poll().block();
      assertThat(STUB.feedReads.get()).isEqualTo(before + 1); // b did not read the feed
    }
    assertThat(cursor()).isEqualTo(2);
    assertThat(
            db.sql("select owner from job_lease where name = $1")
                .bind(0, ChangeFeedPoller.LEASE)
                .map((r, m) -> r.get(0, String.class))
                .all()
                .collectList()
                .block())
        .containsExactly("replica-a");

    // a dies: no more polls, no more renewals; b's polls take over within the ttl
    STUB.change("C003");
    await()
        .atMost(TTL.plusSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              b.poll().block();
              return cursor() == 3;
            });
    // not before the lease ran out (b's own poll, after a's last, took part of the ttl)
    assertThat(Duration.ofNanos(System.nanoTime() - lastRenewal))
        .isGreaterThanOrEqualTo(TTL.minusSeconds(2));
    assertThat(count("select count(*) from assessment_latest")).isEqualTo(3);
    assertThat(count("select count(*) from assessment_history")).isEqualTo(3);
  }

  @Test
  void theSameChangesAppliedByTwoReplicasAtOnceAreStoredOnce() {
    List<String> ids = List.of("C001", "C002", "C003", "C004", "C005", "C006");
    List<ActivityChange> changes =
        ids.stream().map(id -> new ActivityChange(ids.indexOf(id) + 1L, id)).toList();
    FeedCursors.Move move = new FeedCursors.Move(ChangeFeedPoller.FEED, 0, 6);

    // what one application stores
    assertThat(consumer.apply(changes, move).block()).isEqualTo(6);
    long warnings = count("select count(*) from warning");
    assertThat(warnings).isPositive();
    empty();

    // both replicas apply the same page from the same cursor at the same time
    List<Object> outcomes =
        Mono.zip(outcome(consumer.apply(changes, move)), outcome(consumer.apply(changes, move)))
            .map(t -> List.<Object>of(t.getT1(), t.getT2()))
            .block();
    assertThat(outcomes).containsOnlyOnce(6).hasSize(2);
    assertThat(outcomes)
        .filteredOn(o -> o instanceof FeedCursors.Moved)
        .singleElement()
        .extracting(o -> ((Throwable) o).getMessage())
        .isEqualTo(
            "feed cursor customer-activity is no longer at 0: its events were applied elsewhere;"
                + " this batch is rolled back");
    assertThat(cursor()).isEqualTo(6);
    assertThat(count("select count(*) from assessment_latest")).isEqualTo(6);
    assertThat(count("select count(*) from assessment_history")).isEqualTo(6);
    assertThat(count("select count(*) from warning")).isEqualTo(warnings);

    // and a replay of the page after it was applied changes nothing
    assertThat(outcome(consumer.apply(changes, move)).block())
        .isInstanceOf(FeedCursors.Moved.class);
    assertThat(count("select count(*) from warning")).isEqualTo(warnings);
    assertThat(count("select count(*) from assessment_history")).isEqualTo(6);
  }

  /** The result, or the error it ended with; subscribed on its own thread to run concurrently. */
  static Mono<Object> outcome(Mono<Integer> m) {
    return m.<Object>map(n -> n)
        .onErrorResume(e -> Mono.just(e))
        .subscribeOn(Schedulers.boundedElastic());
  }
}
