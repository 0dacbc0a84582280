package io.retain.scoring.prediction.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.retain.scoring.GraphQlHttp;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 * The purchase-model fit as a job (ADR 0020), on CDNOW: a started fit followed to SUCCEEDED stores
 * the model the synchronous mutation stores for the same date; a fit's own refusal ends the job
 * FAILED with its code, nothing stored; a fit running on another replica refuses a start and the
 * synchronous mutation with its id, and a churn training does not.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "120s")
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurchaseModelJobTest {

  static final HttpServer STUB = PurchaseModelApiTest.stub();
  static final String AS_OF = PurchaseModelApiTest.AS_OF.toString();
  static final String START =
      "mutation($asOf: Date!) { startPurchaseModelFit(input: {asOf: $asOf}) { job { id kind"
          + " status steps input } errors { code field message runningJobId } } }";
  static final String FIT =
      "mutation($asOf: Date!) { fitPurchaseModel(input: {asOf: $asOf}) { model { version }"
          + " errors { code field message } } }";
  static final String JOB =
      "query($id: ID!) { predictionJob(id: $id) { status stepsDone steps resultVersion errorCode"
          + " error } }";
  static final String MODEL =
      "{ purchaseModel { version asOf r alpha a b bgNbdLogLikelihood customers p q gamma"
          + " repeatBuyers } }";

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add(
        "retain.remote.customer.url", () -> "http://127.0.0.1:" + STUB.getAddress().getPort());
  }

  @AfterAll
  static void stopStub() {
    STUB.stop(0);
  }

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void cdnow() {
    PurchaseModelApiTest.BODY.set(PurchaseModelApiTest.cdnowLines());
  }

  WebTestClient.BodyContentSpec graphql(Role role, String query, Map<String, Object> vars) {
    return GraphQlHttp.post(http, secret, role, query, vars, "en");
  }

  Object value(WebTestClient.BodyContentSpec body, String path) {
    Object[] out = new Object[1];
    body.jsonPath(path).value(v -> out[0] = v);
    return out[0];
  }

  Object job(String id, String field) {
    return value(graphql(Role.ADMIN, JOB, Map.of("id", id)), "$.data.predictionJob." + field);
  }

  String start() {
    return (String)
        value(
            graphql(Role.ADMIN, START, Map.of("asOf", AS_OF)),
            "$.data.startPurchaseModelFit.job.id");
  }

  void awaitEnd(String id) {
    await().atMost(Duration.ofSeconds(120)).until(() -> !"RUNNING".equals(job(id, "status")));
  }

  long models() {
    return db.sql("select count(*) from purchase_model")
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .block();
  }

  @Test
  @Order(1)
  void aFitsOwnRefusalEndsTheJobFailedWithItsCode() {
    PurchaseModelApiTest.BODY.set(new byte[0]);
    String id = start();
    awaitEnd(id);
    assertThat(job(id, "status")).isEqualTo("FAILED");
    assertThat(job(id, "errorCode")).isEqualTo("NO_PURCHASES");
    assertThat(job(id, "error")).isEqualTo("no customer bought by asOf");
    assertThat(job(id, "resultVersion")).isNull();
    assertThat(models()).isZero();
  }

  @Test
  @Order(2)
  void aStartedFitStoresWhatTheSynchronousOneStores() {
    graphql(Role.ADMIN, FIT, Map.of("asOf", AS_OF))
        .jsonPath("$.data.fitPurchaseModel.errors")
        .isEmpty()
        .jsonPath("$.data.fitPurchaseModel.model.version")
        .isEqualTo(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> synchronous =
        (Map<String, Object>) value(graphql(Role.ANALYST, MODEL, Map.of()), "$.data.purchaseModel");

    var started = graphql(Role.ADMIN, START, Map.of("asOf", AS_OF));
    started
        .jsonPath("$.data.startPurchaseModelFit.errors")
        .isEmpty()
        .jsonPath("$.data.startPurchaseModelFit.job.kind")
        .isEqualTo("PURCHASE_MODEL_FIT")
        .jsonPath("$.data.startPurchaseModelFit.job.steps")
        .isEqualTo(3)
        .jsonPath("$.data.startPurchaseModelFit.job.input")
        .isEqualTo("{\"asOf\": \"" + AS_OF + "\"}");
    String id = (String) value(started, "$.data.startPurchaseModelFit.job.id");
    awaitEnd(id);
    assertThat(job(id, "status")).isEqualTo("SUCCEEDED");
    assertThat(job(id, "resultVersion")).isEqualTo(2);
    assertThat(job(id, "stepsDone")).isEqualTo(3);
    @SuppressWarnings("unchecked")
    Map<String, Object> viaJob =
        (Map<String, Object>) value(graphql(Role.ANALYST, MODEL, Map.of()), "$.data.purchaseModel");
    // the same fit to the last digit; only the version differs
    assertThat(viaJob).containsEntry("version", 2);
    viaJob.remove("version");
    synchronous.remove("version");
    assertThat(viaJob).isEqualTo(synchronous).containsEntry("customers", 2357);
  }

  @Test
  @Order(3)
  void aFitRunningOnAnotherReplicaRefusesBothWaysInAndATrainingDoesNot() {
    long models = models();
    // a fit another replica is running (its heartbeat fresh for the whole test), and a training
    long other = running("PURCHASE_MODEL_FIT");
    long training = running("CHURN_TRAINING");
    graphql(Role.ADMIN, START, Map.of("asOf", AS_OF))
        .jsonPath("$.data.startPurchaseModelFit.job")
        .isEmpty()
        .jsonPath("$.data.startPurchaseModelFit.errors[0].code")
        .isEqualTo("JOB_RUNNING")
        .jsonPath("$.data.startPurchaseModelFit.errors[0].runningJobId")
        .isEqualTo(String.valueOf(other));
    graphql(Role.ADMIN, FIT, Map.of("asOf", AS_OF))
        .jsonPath("$.data.fitPurchaseModel.model")
        .isEmpty()
        .jsonPath("$.data.fitPurchaseModel.errors[0].code")
        .isEqualTo("JOB_RUNNING")
        .jsonPath("$.data.fitPurchaseModel.errors[0].message")
        .isEqualTo(
            "purchase-model fit job "
                + other
                + " is still running; wait for it or follow it with predictionJob(id)");
    assertThat(models()).isEqualTo(models);

    // once it ended, a fit runs beside the training
    db.sql("update prediction_job set status = 'FAILED' where id = $1")
        .bind(0, other)
        .then()
        .block();
    String id = start();
    awaitEnd(id);
    assertThat(job(id, "status")).isEqualTo("SUCCEEDED");
    assertThat(job(String.valueOf(training), "status")).isEqualTo("RUNNING");
    db.sql("delete from prediction_job where id = $1").bind(0, training).then().block();
  }

  long running(String kind) {
    return db.sql(
            "insert into prediction_job (kind, input, status, steps, created_at, started_at,"
                + " heartbeat_at) values ($1, '{}', 'RUNNING', 3, $2, $2, $2) returning id")
        .bind(0, kind)
        .bind(1, Instant.now().plus(Duration.ofMinutes(10)))
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .block();
  }
}
