package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.retain.testpg.PostgresTest;
import java.io.OutputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * customer-service's bulk stream sends one customer and then nothing, its connection left open: the
 * full rescoring fails with a clear error after the idle timeout instead of waiting for ever, and
 * stores nothing half-done.
 */
@PostgresTest
@SpringBootTest(properties = "retain.remote.customer.stream-idle-timeout=3s")
@ActiveProfiles("test")
class StalledStreamTest {

  /**
   * What the stream sends before it goes silent, made before the request: made while answering it,
   * it took longer than the idle timeout on a busy machine.
   */
  static final AtomicReference<byte[]> SENT = new AtomicReference<>();

  static final Semaphore TEST_OVER = new Semaphore(0);

  static final HttpServer STUB = stalling();

  static HttpServer stalling() {
    return ActivityStreamStub.start(
        exchange -> {
          OutputStream out = ActivityStreamStub.ndjson(exchange);
          out.write(SENT.get());
          out.flush();
          // then nothing, the connection open, until the test is over (a fixed pause could end
          // before a slow machine had even read what was sent, and the stream would just end)
          try {
            TEST_OVER.tryAcquire(120, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
  }

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.customer.url", () -> ActivityStreamStub.url(STUB));
  }

  @AfterEach
  void closeTheStream() {
    TEST_OVER.release();
  }

  @AfterAll
  static void stop() {
    STUB.stop(0);
  }

  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;

  @BeforeEach
  void oneLineThenSilenceOnAnEmptyTable() throws Exception {
    TEST_OVER.drainPermits();
    SENT.set(ActivityStreamStub.lines("C", 0, 1));
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
  }

  @Test
  void aStreamThatStopsSendingFailsTheRescoringInsteadOfHangingIt() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> rescoring.rescoreAll(LocalDate.parse("2026-06-30")).block(Duration.ofSeconds(30)))
        .hasMessageContaining("activity stream sent nothing for PT3S");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    Long stored =
        db.sql("select count(*) as n from assessment_latest")
            .map((r, m) -> r.get("n", Long.class))
            .one()
            .block();
    assertThat(stored).isZero();
  }

  @Test
  void aFailureAfterBatchesWereStoredSaysHowManyInsteadOfUnchanged() throws Exception {
    // one whole batch of 1,000 is stored, then the stream goes silent
    SENT.set(ActivityStreamStub.lines("C", 0, 1500));
    assertThatThrownBy(
            () -> rescoring.rescoreAll(LocalDate.parse("2026-06-30")).block(Duration.ofSeconds(60)))
        .isInstanceOfSatisfying(
            RescoringFailure.class,
            f -> {
              assertThat(f.remote()).isTrue();
              assertThat(f.stored()).isEqualTo(1000);
            })
        .hasMessageStartingWith("customer-service did not answer (")
        .hasMessageContaining("activity stream sent nothing for PT3S")
        .hasMessageEndingWith(
            "; 1000 customers were rescored and stored before the failure, the others keep"
                + " their previous scores");
    Long stored =
        db.sql("select count(*) as n from assessment_latest")
            .map((r, m) -> r.get("n", Long.class))
            .one()
            .block();
    assertThat(stored).isEqualTo(1000);
  }
}
