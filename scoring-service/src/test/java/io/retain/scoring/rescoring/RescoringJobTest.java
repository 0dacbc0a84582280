package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.retain.scoring.GraphQlHttp;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Full rescoring as a job: the start answers at once, progress is visible while it runs, a second
 * start is refused with the running job's id, the job ends SUCCEEDED with its count or FAILED with
 * the cause, and a job whose replica stopped is marked FAILED (interrupted).
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"retain.scoring.jobs.heartbeat=200ms", "retain.scoring.jobs.stale-after=20s"})
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class RescoringJobTest {

  /** The bulk stream: 1,000 customers, then (once released) 500 more; or 503 when failing. */
  static final Semaphore REST = new Semaphore(0);

  static final AtomicBoolean FAILING = new AtomicBoolean();
  static final HttpServer STUB = stream();

  static HttpServer stream() {
    return ActivityStreamStub.start(
        exchange -> {
          if (FAILING.get()) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
          }
          OutputStream out = ActivityStreamStub.ndjson(exchange);
          out.write(ActivityStreamStub.lines("J", 0, 1000));
          out.flush();
          try {
            if (REST.tryAcquire(60, TimeUnit.SECONDS)) {
              out.write(ActivityStreamStub.lines("J", 1000, 1500));
            }
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

  @AfterAll
  static void stop() {
    STUB.stop(0);
  }

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void noJobs() {
    FAILING.set(false);
    REST.drainPermits();
    db.sql("delete from rescoring_job").fetch().rowsUpdated().block();
  }

  WebTestClient.BodyContentSpec gql(Role role, String query) {
    return GraphQlHttp.post(http, secret, role, query, "en");
  }

  WebTestClient.BodyContentSpec start() {
    return gql(
        Role.ADMIN,
        "mutation { startRescoringJob(input: {asOf: \"2026-06-30\"}) { job { id status asOf }"
            + " errors { code message runningJobId } } }");
  }

  String status(String id, String field) {
    Object[] out = new Object[1];
    gql(Role.ADMIN, "{ rescoringJob(id: \"" + id + "\") { status scored total error } }")
        .jsonPath("$.data.rescoringJob." + field)
        .value(v -> out[0] = v);
    return String.valueOf(out[0]);
  }

  @Test
  void aJobRunsInTheBackgroundShowsProgressRefusesASecondStartAndSucceeds() {
    String[] id = new String[1];
    start()
        .jsonPath("$.data.startRescoringJob.errors")
        .isEmpty()
        .jsonPath("$.data.startRescoringJob.job.asOf")
        .isEqualTo("2026-06-30")
        .jsonPath("$.data.startRescoringJob.job.id")
        .value(v -> id[0] = (String) v);

    // the first batch is stored while the stream waits: progress shows it
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id[0], "scored").equals("1000"));
    assertThat(status(id[0], "status")).isEqualTo("RUNNING");

    start()
        .jsonPath("$.data.startRescoringJob.job")
        .doesNotExist()
        .jsonPath("$.data.startRescoringJob.errors[0].code")
        .isEqualTo("JOB_RUNNING")
        .jsonPath("$.data.startRescoringJob.errors[0].runningJobId")
        .isEqualTo(id[0]);

    REST.release();
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id[0], "status").equals("SUCCEEDED"));
    gql(Role.ADMIN, "{ rescoringJobs { id status scored startedAt finishedAt error requestedBy } }")
        .jsonPath("$.data.rescoringJobs.length()")
        .isEqualTo(1)
        .jsonPath("$.data.rescoringJobs[0].id")
        .isEqualTo(id[0])
        .jsonPath("$.data.rescoringJobs[0].scored")
        .isEqualTo(1500)
        .jsonPath("$.data.rescoringJobs[0].finishedAt")
        .isNotEmpty()
        .jsonPath("$.data.rescoringJobs[0].error")
        .doesNotExist()
        .jsonPath("$.data.rescoringJobs[0].requestedBy")
        .isEqualTo("t");
  }

  @Test
  void aJobThatFailsSaysWhyAndANewOneMayStart() {
    FAILING.set(true);
    String[] id = new String[1];
    start().jsonPath("$.data.startRescoringJob.job.id").value(v -> id[0] = (String) v);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id[0], "status").equals("FAILED"));
    assertThat(status(id[0], "error"))
        .startsWith("customer-service did not answer (")
        .endsWith("; stored scores are unchanged");
    assertThat(status(id[0], "scored")).isEqualTo("0");
    start().jsonPath("$.data.startRescoringJob.errors").isEmpty();
  }

  @Test
  void aJobWhoseReplicaStoppedIsMarkedInterrupted() {
    // last heartbeat 19 s ago, after this app started: only a watchdog that reads the clock on
    // every tick (not once, when Spring first calls the method) sees it go stale 1 s later
    Instant longAgo = Instant.now().minus(Duration.ofSeconds(19));
    long id =
        db.sql(
                "insert into rescoring_job (as_of, status, scored, created_at, started_at,"
                    + " heartbeat_at) values ('2026-06-30', 'RUNNING', 2000, $1, $1, $1)"
                    + " returning id")
            .bind(0, longAgo)
            .map((r, m) -> r.get(0, Long.class))
            .one()
            .block();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(String.valueOf(id), "status").equals("FAILED"));
    assertThat(status(String.valueOf(id), "error")).startsWith("interrupted: its replica stopped");
    assertThat(status(String.valueOf(id), "scored")).isEqualTo("2000");
  }

  @Test
  void anUnknownProfileIsRefusedAndAnAnalystMayNotStart() {
    gql(
            Role.ADMIN,
            "mutation { startRescoringJob(input: {asOf: \"2026-06-30\", profile: \"nope\"}) {"
                + " job { id } errors { code field message } } }")
        .jsonPath("$.data.startRescoringJob.errors[0].code")
        .isEqualTo("NOT_FOUND")
        .jsonPath("$.data.startRescoringJob.errors[0].field")
        .isEqualTo("input.profile");
    gql(
            Role.ANALYST,
            "mutation { startRescoringJob(input: {asOf: \"2026-06-30\"}) { job { id } } }")
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN");
    assertThat(
            db.sql("select count(*) from rescoring_job")
                .map((r, m) -> r.get(0, Long.class))
                .one()
                .block())
        .isZero();
  }
}
