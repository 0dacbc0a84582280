package io.retain.retention.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.retention.plan.WorkedExampleTestData;
import io.retain.retention.remote.CustomerClient;
import io.retain.retention.remote.WarningEvent;
import io.retain.support.jobs.JobLeases;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Two replicas' warning-feed pollers on one database (two scheduler instances, each with its own
 * lease holder, over real HTTP stubs): only the lease holder reads the feed, and the same warnings
 * applied by both at once open every plan once and leave the cursor at the last warning.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class WarningFeedReplicasTest {

  static final StubServices stub;

  static {
    try {
      stub = new StubServices(WorkedExampleTestData.profiles());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void remotes(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.scoring.url", stub::url);
    registry.add("retain.remote.customer.url", stub::url);
  }

  @AfterAll
  static void stop() {
    stub.close();
  }

  @Autowired WarningFeedConsumer feed;
  @Autowired WarningConsumer consumer;
  @Autowired DatabaseClient db;
  @Autowired CustomerClient customers;

  @BeforeEach
  void empty() {
    stub.feed.clear();
    db.sql("update feed_cursor set last_seq = 0").then().block();
    db.sql("delete from action_plan").then().block();
    db.sql("delete from job_lease").then().block();
  }

  WarningFeedScheduler replica(String name) {
    return new WarningFeedScheduler(feed, new JobLeases(db, name, Duration.ofSeconds(30)));
  }

  long plans() {
    return db.sql("select count(*) from action_plan").map(r -> r.get(0, Long.class)).one().block();
  }

  @Test
  void onlyTheLeaseHolderReadsTheFeed() {
    WarningFeedScheduler a = replica("replica-a");
    WarningFeedScheduler b = replica("replica-b");
    stub.feed.addAll(WorkedExampleTestData.warnings()); // C002, C003, C005: 9 plans

    for (int i = 0; i < 3; i++) {
      int before = stub.feedCalls.get();
      a.poll().block();
      assertThat(stub.feedCalls.get()).isGreaterThan(before);
      int afterA = stub.feedCalls.get();
      b.poll().block();
      assertThat(stub.feedCalls.get()).isEqualTo(afterA); // b did not read the feed
    }
    assertThat(feed.cursor().block()).isEqualTo(3);
    assertThat(plans()).isEqualTo(9);
    assertThat(
            db.sql("select owner from job_lease where name = :name")
                .bind("name", WarningFeedScheduler.LEASE)
                .map(r -> r.get(0, String.class))
                .all()
                .collectList()
                .block())
        .containsExactly("replica-a");
  }

  @Test
  void theSameWarningsAppliedByTwoReplicasAtOnceOpenEveryPlanOnce() {
    List<WarningEvent> page = WorkedExampleTestData.warnings();
    // the client's first call initializes it (BlockHound flags two first calls racing on that)
    customers.customerProfiles(List.of("C002")).block();

    List<Object> outcomes =
        Mono.zip(outcome(consumer.apply(page, 0)), outcome(consumer.apply(page, 0)))
            .map(t -> List.<Object>of(t.getT1(), t.getT2()))
            .block();

    // one applied all three; the other's first warning found the cursor moved and rolled back
    assertThat(outcomes).containsOnlyOnce(3).hasSize(2);
    assertThat(outcomes)
        .describedAs("outcomes %s", outcomes)
        .filteredOn(o -> o instanceof WarningConsumer.CursorMoved)
        .singleElement()
        .extracting(o -> ((Throwable) o).getMessage())
        .isEqualTo(
            "warning feed cursor is no longer at 0: warning 1 was applied elsewhere; rolled back"
                + " here");
    assertThat(consumer.cursor().block()).isEqualTo(3);
    assertThat(plans()).isEqualTo(9);
  }

  /** The result, or the error it ended with; subscribed on its own thread to run concurrently. */
  static Mono<Object> outcome(Mono<Integer> m) {
    return m.<Object>map(n -> n)
        .onErrorResume(e -> Mono.just(e))
        .subscribeOn(Schedulers.boundedElastic());
  }
}
