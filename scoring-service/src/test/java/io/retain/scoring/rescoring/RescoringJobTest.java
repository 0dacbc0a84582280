package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.retain.scoring.GraphQlHttp;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.support.graphql.ApiException;
import io.retain.support.jobs.JobLeases;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
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
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Full rescoring as a job: the start answers at once, progress is visible while it runs, a second
 * start is refused with the running job's id, the job ends SUCCEEDED with its count or FAILED with
 * the cause, and a job whose replica stopped is marked FAILED (interrupted). rescoreAll runs as a
 * job too: refused while another runs (on this replica or another), refusing them while it runs.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"retain.scoring.jobs.heartbeat=200ms", "retain.scoring.jobs.stale-after=20s"})
@AutoConfigureWebTestClient(timeout = "120s")
@ActiveProfiles("test")
class RescoringJobTest {

  /** The bulk stream: 1,000 customers, then (once released) 500 more; or 503 when failing. */
  static final Semaphore REST = new Semaphore(0);

  static final AtomicBoolean FAILING = new AtomicBoolean();

  /** Bulk streams requested: one per rescoring that ran. */
  static final AtomicInteger STREAMS = new AtomicInteger();

  static final HttpServer STUB = stream();

  static HttpServer stream() {
    return ActivityStreamStub.start(
        exchange -> {
          STREAMS.incrementAndGet();
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
  @Autowired RescoringJobs jobs;
  @Autowired RescoringService rescoring;
  @Autowired ProfileRepository profiles;
  @Autowired JobLeases leases;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void noJobs() {
    FAILING.set(false);
    REST.drainPermits();
    STREAMS.set(0);
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
    assertThat(status(String.valueOf(id), "error"))
        .startsWith("interrupted: its replica stopped")
        .endsWith("); customers stored before keep their new scores, start a new job");
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

  @Test
  void aJobIdThatIsNotDigitsIsBadInputAndAnUnknownOneIsNull() {
    gql(Role.ADMIN, "{ rescoringJob(id: \"job-1\") { status } }")
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("BAD_USER_INPUT")
        .jsonPath("$.errors[0].extensions.field")
        .isEqualTo("id")
        .jsonPath("$.errors[0].extensions.expected")
        .isEqualTo("a job id (digits)");
    gql(Role.ADMIN, "{ rescoringJob(id: \"987654321\") { status } }")
        .jsonPath("$.errors")
        .doesNotExist()
        .jsonPath("$.data.rescoringJob")
        .isEmpty();
  }

  static final String RESCORE_ALL =
      "mutation { rescoreAll(input: {asOf: \"2026-06-30\"}) { scored job { id status scored } } }";

  /** rescoreAll over HTTP on another thread: the request answers only when the rescoring ends. */
  CompletableFuture<Map<String, Object>> rescoreAllInTheBackground() {
    return CompletableFuture.supplyAsync(
        () -> {
          Map<String, Object> out = new HashMap<>();
          gql(Role.ADMIN, RESCORE_ALL)
              .jsonPath("$.data.rescoreAll.scored")
              .value(v -> out.put("scored", ((Number) v).longValue()))
              .jsonPath("$.data.rescoreAll.job.id")
              .value(v -> out.put("id", v))
              .jsonPath("$.data.rescoreAll.job.status")
              .value(v -> out.put("status", v));
          return out;
        });
  }

  /** The one job queued or running, once it has stored its first batch. */
  String runningJobAfterItsFirstBatch() {
    String[] id = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              id[0] =
                  db.sql(
                          "select id from rescoring_job where status = 'RUNNING' and scored ="
                              + " 1000")
                      .map((r, m) -> String.valueOf(r.get(0, Long.class)))
                      .one()
                      .block();
              return id[0] != null;
            });
    return id[0];
  }

  long jobCount() {
    return db.sql("select count(*) from rescoring_job")
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .block();
  }

  @Test
  void rescoreAllRunsAsAJobRefusingAndRefusedByTheOthers() throws Exception {
    CompletableFuture<Map<String, Object>> first = rescoreAllInTheBackground();
    String id = runningJobAfterItsFirstBatch();
    // its progress is the job's
    assertThat(status(id, "status")).isEqualTo("RUNNING");
    assertThat(status(id, "scored")).isEqualTo("1000");

    // a second rescoreAll, and a job start, are refused while it runs: nothing streamed or scored
    gql(Role.ADMIN, RESCORE_ALL)
        .jsonPath("$.data")
        .isEmpty()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("JOB_RUNNING")
        .jsonPath("$.errors[0].extensions.runningJobId")
        .isEqualTo(id)
        .jsonPath("$.errors[0].message")
        .isEqualTo(
            "rescoring job "
                + id
                + " is still running; wait for it or follow it with"
                + " rescoringJob(id)");
    start()
        .jsonPath("$.data.startRescoringJob.errors[0].code")
        .isEqualTo("JOB_RUNNING")
        .jsonPath("$.data.startRescoringJob.errors[0].runningJobId")
        .isEqualTo(id);
    assertThat(STREAMS.get()).isEqualTo(1);
    assertThat(jobCount()).isEqualTo(1);

    REST.release();
    Map<String, Object> done = first.get(60, TimeUnit.SECONDS);
    assertThat(done).containsEntry("scored", 1500L).containsEntry("id", id);
    assertThat(done).containsEntry("status", "SUCCEEDED");
    assertThat(status(id, "scored")).isEqualTo("1500");

    // and a running job refuses rescoreAll
    String[] jobId = new String[1];
    start().jsonPath("$.data.startRescoringJob.job.id").value(v -> jobId[0] = (String) v);
    assertThat(runningJobAfterItsFirstBatch()).isEqualTo(jobId[0]);
    gql(Role.ADMIN, RESCORE_ALL)
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("JOB_RUNNING")
        .jsonPath("$.errors[0].extensions.runningJobId")
        .isEqualTo(jobId[0]);
    REST.release();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(jobId[0], "status").equals("SUCCEEDED"));
    assertThat(STREAMS.get()).isEqualTo(2);
    assertThat(jobCount()).isEqualTo(2);
  }

  @Test
  void twoReplicasRescoringAllAtOnceRunOnce() throws Exception {
    // replica b: its own instance over the same database, as a second scoring-service would be
    RescoringJobs b =
        new RescoringJobs(
            db,
            rescoring,
            profiles,
            Clock.systemUTC(),
            Duration.ofMillis(200),
            Duration.ofSeconds(20),
            leases);
    LocalDate asOf = LocalDate.parse("2026-06-30");
    CompletableFuture<Object> onA = outcome(jobs.runNow(asOf, "a"));
    CompletableFuture<Object> onB = outcome(b.runNow(asOf, "b"));
    String id = runningJobAfterItsFirstBatch();

    // one of the two was refused at once, naming the other's job; only one stream was read
    Object refused =
        await().atMost(Duration.ofSeconds(30)).until(() -> firstDone(onA, onB), r -> r != null);
    assertThat(refused).isInstanceOf(ApiException.class);
    ApiException e = (ApiException) refused;
    assertThat(e.code()).isEqualTo("JOB_RUNNING");
    assertThat(e.details()).containsEntry("runningJobId", id);
    assertThat(STREAMS.get()).isEqualTo(1);

    REST.release();
    List<Object> both = List.of(onA.get(60, TimeUnit.SECONDS), onB.get(60, TimeUnit.SECONDS));
    assertThat(both).containsOnlyOnce(refused);
    RescoringJobs.Job job =
        (RescoringJobs.Job) both.stream().filter(o -> o != refused).findFirst().orElseThrow();
    assertThat(job.id()).isEqualTo(Long.parseLong(id));
    assertThat(job.status()).isEqualTo("SUCCEEDED");
    assertThat(job.scored()).isEqualTo(1500);
    assertThat(jobCount()).isEqualTo(1);
    assertThat(STREAMS.get()).isEqualTo(1);
  }

  /** The value or the error of {@code work}, run on its own. */
  static CompletableFuture<Object> outcome(Mono<?> work) {
    return work.<Object>map(v -> v)
        .onErrorResume(e -> Mono.just(e))
        .subscribeOn(Schedulers.boundedElastic())
        .toFuture();
  }

  static @Nullable Object firstDone(CompletableFuture<Object> a, CompletableFuture<Object> b) {
    return a.isDone() ? a.join() : b.isDone() ? b.join() : null;
  }
}
