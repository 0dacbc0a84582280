package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retain.scoring.GraphQlHttp;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * Churn training as a job (ADR 0020): the checks that are cheap answered at the start with nothing
 * stored; a started training followed to SUCCEEDED stores the model the synchronous mutation stores
 * for the same input; while it runs a second start and the synchronous mutation are refused with
 * its id; a refusal known only at the end fails the job with its code; a job whose replica stopped
 * is marked FAILED (interrupted).
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"retain.scoring.jobs.heartbeat=200ms", "retain.scoring.jobs.stale-after=20s"})
@AutoConfigureWebTestClient(timeout = "120s")
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChurnTrainingJobTest {

  static final ChurnDataStub STUB = ChurnDataStub.start(600, 20);
  static final String INPUT = "input: {from: $from, to: $to, horizonDays: $h}";
  static final String VARS = "($from: Date!, $to: Date!, $h: Int)";
  static final String START =
      "mutation"
          + VARS
          + " { startChurnTraining("
          + INPUT
          + ") { job { id kind status steps input } errors { code field expected message"
          + " runningJobId } } }";
  static final String TRAIN =
      "mutation"
          + VARS
          + " { trainChurnModel("
          + INPUT
          + ") { model { version } errors { code field message } } }";
  static final String JOB =
      "query($id: ID!) { predictionJob(id: $id) { status stepsDone steps resultVersion errorCode"
          + " error requestedBy finishedAt } }";
  static final String MODEL =
      "query($v: Int!) { churnModel(version: $v) { report { trainingRows trainingPositives"
          + " validationRows auc { value lower upper } brier weights { feature coefficient } } } }";

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.customer.url", STUB::url);
  }

  @AfterAll
  static void stopStub() {
    STUB.server.stop(0);
  }

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void released() {
    STUB.hold = null;
  }

  WebTestClient.BodyContentSpec graphql(Role role, String query, Map<String, Object> vars) {
    return GraphQlHttp.post(http, secret, role, query, vars, "en");
  }

  static Map<String, Object> range(String from, String to, int h) {
    return Map.of("from", from, "to", to, "h", h);
  }

  Object value(WebTestClient.BodyContentSpec body, String path) {
    Object[] out = new Object[1];
    body.jsonPath(path).value(v -> out[0] = v);
    return out[0];
  }

  Object job(String id, String field) {
    return value(graphql(Role.ADMIN, JOB, Map.of("id", id)), "$.data.predictionJob." + field);
  }

  long count(String table) {
    return db.sql("select count(*) from " + table)
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .block();
  }

  @Test
  @Order(1)
  void theCheapChecksAreAnsweredAtTheStartWithNothingStoredOrStarted() {
    graphql(Role.ADMIN, START, range("2025-01-01", "2025-12-01", 0))
        .jsonPath("$.data.startChurnTraining.job")
        .isEmpty()
        .jsonPath("$.data.startChurnTraining.errors[0].code")
        .isEqualTo("INVALID_HORIZON")
        .jsonPath("$.data.startChurnTraining.errors[0].field")
        .isEqualTo("input.horizonDays")
        .jsonPath("$.data.startChurnTraining.errors[0].expected")
        .isEqualTo("a whole number of days > 0");
    graphql(Role.ADMIN, START, range("2025-01-01", "2099-12-01", 90))
        .jsonPath("$.data.startChurnTraining.errors[0].code")
        .isEqualTo("INVALID_RANGE")
        .jsonPath("$.data.startChurnTraining.errors[0].field")
        .isEqualTo("input.to");
    // reading the churn records is cheap: a 2023 range has none in its label windows
    graphql(Role.ADMIN, START, range("2023-01-01", "2023-12-01", 90))
        .jsonPath("$.data.startChurnTraining.errors[0].code")
        .isEqualTo("NO_CHURN_RECORDS")
        .jsonPath("$.data.startChurnTraining.errors[0].field")
        .isEqualTo("input.from");
    graphql(Role.ANALYST, START, range("2025-01-01", "2025-12-01", 90))
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN");
    assertThat(count("prediction_job")).isZero();
    assertThat(count("churn_model")).isZero();
  }

  @Test
  @Order(2)
  void aStartedTrainingStoresWhatTheSynchronousOneStoresAndRefusesOthersWhileItRuns() {
    Map<String, Object> input = range("2025-01-01", "2025-12-01", 90);
    // the synchronous path first: version 1 (itself recorded as a job)
    graphql(Role.ADMIN, TRAIN, input)
        .jsonPath("$.data.trainChurnModel.errors")
        .isEmpty()
        .jsonPath("$.data.trainChurnModel.model.version")
        .isEqualTo(1);

    // the same input as a job, held after its first request for activity
    STUB.hold = new CountDownLatch(1);
    var started = graphql(Role.ADMIN, START, input);
    String id = (String) value(started, "$.data.startChurnTraining.job.id");
    started
        .jsonPath("$.data.startChurnTraining.errors")
        .isEmpty()
        .jsonPath("$.data.startChurnTraining.job.kind")
        .isEqualTo("CHURN_TRAINING")
        .jsonPath("$.data.startChurnTraining.job.status")
        .isEqualTo("RUNNING")
        .jsonPath("$.data.startChurnTraining.job.steps")
        .isEqualTo(
            ObservationPlan.of(
                    java.time.LocalDate.parse("2025-01-01"),
                    java.time.LocalDate.parse("2025-12-01"),
                    90)
                .all()
                .size())
        .jsonPath("$.data.startChurnTraining.job.input")
        .isEqualTo("{\"from\": \"2025-01-01\", \"to\": \"2025-12-01\", \"horizonDays\": 90}");

    // while it runs: a second start and the synchronous mutation are refused with its id
    graphql(Role.ADMIN, START, input)
        .jsonPath("$.data.startChurnTraining.job")
        .isEmpty()
        .jsonPath("$.data.startChurnTraining.errors[0].code")
        .isEqualTo("JOB_RUNNING")
        .jsonPath("$.data.startChurnTraining.errors[0].runningJobId")
        .isEqualTo(id);
    graphql(Role.ADMIN, TRAIN, input)
        .jsonPath("$.data.trainChurnModel.model")
        .isEmpty()
        .jsonPath("$.data.trainChurnModel.errors[0].code")
        .isEqualTo("JOB_RUNNING")
        .jsonPath("$.data.trainChurnModel.errors[0].message")
        .isEqualTo(
            "churn training job "
                + id
                + " is still running; wait for it or follow it with"
                + " predictionJob(id)");
    assertThat(job(id, "status")).isEqualTo("RUNNING");
    assertThat(job(id, "stepsDone")).isEqualTo(0);
    assertThat(count("churn_model")).isEqualTo(1);

    STUB.hold.countDown();
    await().atMost(Duration.ofSeconds(120)).until(() -> !"RUNNING".equals(job(id, "status")));
    assertThat(job(id, "status")).isEqualTo("SUCCEEDED");
    assertThat(job(id, "resultVersion")).isEqualTo(2);
    assertThat(job(id, "stepsDone")).isEqualTo(job(id, "steps"));
    assertThat(job(id, "requestedBy")).isEqualTo("t");
    assertThat(job(id, "error")).isNull();
    // the same model as the synchronous path's, to the last coefficient
    Object viaJob = value(graphql(Role.ANALYST, MODEL, Map.of("v", 2)), "$.data.churnModel");
    Object synchronous = value(graphql(Role.ANALYST, MODEL, Map.of("v", 1)), "$.data.churnModel");
    assertThat(viaJob).isEqualTo(synchronous).isNotNull();
    // both ran as jobs: two records, both SUCCEEDED, the refused ones not recorded
    assertThat(
            db.sql(
                    "select string_agg(status || ':' || result_version, ',' order by id) from"
                        + " prediction_job")
                .map((r, m) -> r.get(0, String.class))
                .one()
                .block())
        .isEqualTo("SUCCEEDED:1,SUCCEEDED:2");
  }

  @Test
  @Order(3)
  void aRefusalKnownOnlyAtTheEndFailsTheJobWithItsCodeAndStoresNothing() {
    long models = count("churn_model");
    // 2024's training labels end by October 2024: too few positives, known once every date is read
    String id =
        (String)
            value(
                graphql(Role.ADMIN, START, range("2024-01-01", "2024-12-01", 90)),
                "$.data.startChurnTraining.job.id");
    await().atMost(Duration.ofSeconds(120)).until(() -> !"RUNNING".equals(job(id, "status")));
    assertThat(job(id, "status")).isEqualTo("FAILED");
    assertThat(job(id, "errorCode")).isEqualTo("TOO_FEW_POSITIVES");
    assertThat(job(id, "error"))
        .isEqualTo(
            "the training observations (2024-01-01 to 2024-07-01) hold 0 churns within 90 days;"
                + " at least 50 are needed");
    assertThat(job(id, "resultVersion")).isNull();
    assertThat(count("churn_model")).isEqualTo(models);
  }

  @Test
  @Order(4)
  void aJobWhoseReplicaStoppedIsMarkedInterruptedAndANewOneMayStart() {
    // last heartbeat 15 s ago: stale 5 s later (stale-after 20 s), seen by a watchdog tick
    Instant longAgo = Instant.now().minus(Duration.ofSeconds(15));
    long id =
        db.sql(
                "insert into prediction_job (kind, input, status, steps, steps_done, created_at,"
                    + " started_at, heartbeat_at) values ('CHURN_TRAINING', '{}', 'RUNNING', 12,"
                    + " 5, $1, $1, $1) returning id")
            .bind(0, longAgo)
            .map((r, m) -> r.get(0, Long.class))
            .one()
            .block();
    String sid = String.valueOf(id);
    // until then it is in the way
    graphql(Role.ADMIN, START, range("2025-01-01", "2025-12-01", 90))
        .jsonPath("$.data.startChurnTraining.errors[0].runningJobId")
        .isEqualTo(sid);
    await().atMost(Duration.ofSeconds(60)).until(() -> "FAILED".equals(job(sid, "status")));
    assertThat(job(sid, "errorCode")).isEqualTo("INTERRUPTED");
    assertThat((String) job(sid, "error"))
        .startsWith("interrupted: its replica stopped")
        .endsWith("); nothing was stored, start a new job");
    assertThat(job(sid, "stepsDone")).isEqualTo(5);
    graphql(Role.ADMIN, START, range("2025-01-01", "2025-12-01", 90))
        .jsonPath("$.data.startChurnTraining.errors")
        .isEmpty();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                db.sql("select count(*) from prediction_job where status = 'RUNNING'")
                        .map((r, m) -> r.get(0, Long.class))
                        .one()
                        .block()
                    == 0);
  }
}
