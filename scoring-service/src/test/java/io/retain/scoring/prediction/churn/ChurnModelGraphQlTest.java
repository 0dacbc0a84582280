package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
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
 * The churn model API over HTTP on a real PostgreSQL, customer-service answered by a seeded stub
 * whose churn depends on behaviour: train (and each kind of bad input, with nothing stored), read
 * the report, refuse to activate an unvalidated model, activate, serve churnRisk with drivers in
 * English and Chinese, list customers by churn risk.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "120s")
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChurnModelGraphQlTest {

  static final ChurnDataStub STUB = ChurnDataStub.start(600, 20);
  static final String TRAIN =
      """
      mutation($from: Date!, $to: Date!, $h: Int) {
        trainChurnModel(input: {from: $from, to: $to, horizonDays: $h}) {
          model { version active report {
            horizonDays trainingFrom trainingTo validationFrom validationTo
            trainingRows trainingPositives validationRows validationPositives
            auc { value lower upper standardError } brier topDecileLift
            calibration { decile count meanPredicted observedRate }
            baselines { ranker auc { value } difference p beaten }
            weights { feature label coefficient }
            validated beatsBaselines verdict
            purchaseFits { observedAt r alpha a b fittedOn buyers converged } } }
          errors { code field expected message } } }
      """;
  static final String ACTIVATE =
      """
      mutation($v: Int!) { activateChurnModel(input: {version: $v}) {
          model { version active } errors { code field expected message } } }
      """;

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

  WebTestClient.BodyContentSpec graphql(
      Role role, String query, Map<String, Object> vars, String lang) {
    return http.post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + Tokens.hs256(secret, "t", Duration.ofHours(1), role))
        .header("Accept-Language", lang)
        .bodyValue(Map.of("query", query, "variables", vars))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  Map<String, Object> range(String from, String to, int h) {
    return Map.of("from", from, "to", to, "h", h);
  }

  long models() {
    return db.sql("select count(*) from churn_model")
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .block();
  }

  /** Rows the stub's population gives at these dates: customers not churned by then. */
  long activeRows(List<LocalDate> dates) {
    long n = 0;
    for (LocalDate t : dates) {
      for (LocalDate c : STUB.churnedAt) {
        n += c == null || c.isAfter(t) ? 1 : 0;
      }
    }
    return n;
  }

  long positives(List<LocalDate> dates, int h) {
    long n = 0;
    for (LocalDate t : dates) {
      for (LocalDate c : STUB.churnedAt) {
        n += c != null && c.isAfter(t) && !c.isAfter(t.plusDays(h)) ? 1 : 0;
      }
    }
    return n;
  }

  /** AUC of ranking the validation rows by the stub's latent risk. */
  double oracleAuc(List<LocalDate> dates, int h) {
    List<Double> s = new ArrayList<>();
    List<Boolean> y = new ArrayList<>();
    for (LocalDate t : dates) {
      for (int i = 0; i < STUB.customers; i++) {
        LocalDate c = STUB.churnedAt[i];
        if (c == null || c.isAfter(t)) {
          s.add(STUB.risk[i]);
          y.add(c != null && !c.isAfter(t.plusDays(h)));
        }
      }
    }
    double[] scores = s.stream().mapToDouble(Double::doubleValue).toArray();
    boolean[] labels = new boolean[y.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = y.get(i);
    }
    return RankMetricsTest.pairShare(scores, labels);
  }

  @Test
  @Order(1)
  void eachKindOfBadInputIsRefusedWithItsCodeAndNothingIsStored() {
    graphql(Role.ADMIN, TRAIN, range("2025-01-01", "2025-12-01", 0), "en")
        .jsonPath("$.data.trainChurnModel.model")
        .isEmpty()
        .jsonPath("$.data.trainChurnModel.errors[0].code")
        .isEqualTo("INVALID_HORIZON")
        .jsonPath("$.data.trainChurnModel.errors[0].field")
        .isEqualTo("input.horizonDays")
        .jsonPath("$.data.trainChurnModel.errors[0].expected")
        .isEqualTo("a whole number of days > 0");
    // the stub's churns start in 2025: a 2023 range has none in its label windows
    graphql(Role.ADMIN, TRAIN, range("2023-01-01", "2023-12-01", 90), "en")
        .jsonPath("$.data.trainChurnModel.errors[0].code")
        .isEqualTo("NO_CHURN_RECORDS")
        .jsonPath("$.data.trainChurnModel.errors[0].field")
        .isEqualTo("input.from")
        .jsonPath("$.data.trainChurnModel.errors[0].expected")
        .isEqualTo("a range with churn records dated in (from, to + horizonDays]");
    // 2024's training labels end by October 2024; only its validation windows reach 2025's churns
    graphql(Role.ADMIN, TRAIN, range("2024-01-01", "2024-12-01", 90), "en")
        .jsonPath("$.data.trainChurnModel.errors[0].code")
        .isEqualTo("TOO_FEW_POSITIVES")
        .jsonPath("$.data.trainChurnModel.errors[0].expected")
        .isEqualTo("at least 50 churns among the training observations");
    // too short a range for its horizon
    graphql(Role.ADMIN, TRAIN, range("2025-01-01", "2025-03-01", 90), "en")
        .jsonPath("$.data.trainChurnModel.errors[0].code")
        .isEqualTo("INVALID_RANGE");
    // labels that would reach past today
    graphql(Role.ADMIN, TRAIN, range("2025-01-01", "2099-12-01", 90), "en")
        .jsonPath("$.data.trainChurnModel.errors[0].code")
        .isEqualTo("INVALID_RANGE")
        .jsonPath("$.data.trainChurnModel.errors[0].field")
        .isEqualTo("input.to");
    // an analyst may not train
    graphql(Role.ANALYST, TRAIN, range("2025-01-01", "2025-12-01", 90), "en")
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN");
    assertThat(models()).isZero();
  }

  @Test
  @Order(2)
  void trainsAModelThatBeatsTheLoyaltyScoreOutOfTimeAndReportsIt() {
    ObservationPlan plan =
        ObservationPlan.of(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-12-01"), 90);
    String p = "$.data.trainChurnModel.model.report.";
    graphql(Role.ADMIN, TRAIN, range("2025-01-01", "2025-12-01", 90), "en")
        .jsonPath("$.data.trainChurnModel.errors")
        .isEmpty()
        .jsonPath("$.data.trainChurnModel.model.version")
        .isEqualTo(1)
        .jsonPath("$.data.trainChurnModel.model.active")
        .isEqualTo(false)
        .jsonPath(p + "trainingFrom")
        .isEqualTo("2025-01-01")
        .jsonPath(p + "trainingTo")
        .isEqualTo("2025-07-01")
        .jsonPath(p + "validationFrom")
        .isEqualTo("2025-10-01")
        .jsonPath(p + "validationTo")
        .isEqualTo("2025-12-01")
        .jsonPath(p + "trainingRows")
        .isEqualTo((int) activeRows(plan.training()))
        .jsonPath(p + "trainingPositives")
        .isEqualTo((int) positives(plan.training(), 90))
        .jsonPath(p + "validationRows")
        .isEqualTo((int) activeRows(plan.validation()))
        .jsonPath(p + "validationPositives")
        .isEqualTo((int) positives(plan.validation(), 90))
        .jsonPath(p + "validated")
        .isEqualTo(true)
        // the band, computed independently: the AUC of the stub's latent risk itself on the same
        // validation rows; the model only sees noisy aggregates drawn from it, so it lands below
        .jsonPath(p + "auc.value")
        .value(
            Double.class,
            a -> {
              double oracle = oracleAuc(plan.validation(), 90);
              assertThat(oracle).isBetween(0.70, 0.90);
              assertThat(a).isBetween(oracle - 0.12, oracle + 0.02);
            })
        .jsonPath(p + "auc.lower")
        .value(Double.class, l -> assertThat(l).isGreaterThan(0.6))
        .jsonPath(p + "calibration.length()")
        .isEqualTo(10)
        .jsonPath(p + "topDecileLift")
        .value(Double.class, l -> assertThat(l).isGreaterThan(1.5))
        .jsonPath(p + "baselines[0].ranker")
        .isEqualTo("LOYALTY_SCORE")
        .jsonPath(p + "baselines[0].beaten")
        .isEqualTo(true)
        .jsonPath(p + "baselines[0].p")
        .value(Double.class, v -> assertThat(v).isLessThan(0.05))
        // BG/NBD's features are live: 1 − pAlive is the second ranker, one fit per date
        .jsonPath(p + "baselines[1].ranker")
        .isEqualTo("ONE_MINUS_P_ALIVE")
        .jsonPath(p + "baselines[1].beaten")
        .isEqualTo(true)
        .jsonPath(p + "purchaseFits.length()")
        .isEqualTo(plan.all().size())
        .jsonPath(p + "purchaseFits[0].observedAt")
        .isEqualTo("2025-01-01")
        .jsonPath(p + "purchaseFits[0].buyers")
        .isEqualTo(600)
        .jsonPath(p + "purchaseFits[*].converged")
        .value(List.class, c -> assertThat(c).containsOnly(true))
        .jsonPath(p + "weights[?(@.feature == 'p_alive')].label")
        .isEqualTo(List.of("Probability still active (BG/NBD)"))
        .jsonPath(p + "beatsBaselines")
        .isEqualTo(true)
        .jsonPath(p + "weights[?(@.feature == 'tickets_open_7_days')].coefficient")
        .value(List.class, c -> assertThat(((Number) c.get(0)).doubleValue()).isPositive())
        .jsonPath(p + "weights[?(@.feature == 'tickets_open_7_days')].label")
        .isEqualTo(List.of("Tickets open 7 days or more"))
        .jsonPath(p + "verdict")
        .value(String.class, v -> assertThat(v).contains("Better than the loyalty score"));
    assertThat(models()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void anUnvalidatedModelIsNeverActivated() {
    // validation dates whose horizon ends before the stub's first churn: nothing to validate on,
    // trained on… nothing either; so store an unvalidated report directly
    ObservationPlan plan =
        ObservationPlan.of(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-12-01"), 90);
    List<TrainingRow> train =
        SyntheticChurn.draw(8, 600, plan.training(), 0).stream()
            .map(SyntheticChurn.Observation::row)
            .toList();
    List<TrainingRow> none = new ArrayList<>();
    for (TrainingRow r : train.subList(0, 500)) {
      none.add(new TrainingRow(r.customerId(), r.observedAt(), r.features(), false, 50.0, null));
    }
    ChurnTrainer.Trained t = ChurnTrainer.train(plan, train, none);
    db.sql(
            "insert into churn_model (version, created_at, horizon_days, validated,"
                + " beats_baselines, model, report) values (2, now(), 90, false, false,"
                + " '{}'::json, '{}'::json)")
        .then()
        .block();
    db.sql("update churn_model set model = $1::json, report = $2::json where version = 2")
        .bind(0, new tools.jackson.databind.ObjectMapper().writeValueAsString(t.model()))
        .bind(1, new tools.jackson.databind.ObjectMapper().writeValueAsString(t.report()))
        .then()
        .block();
    graphql(Role.ADMIN, ACTIVATE, Map.of("v", 2), "en")
        .jsonPath("$.data.activateChurnModel.model")
        .isEmpty()
        .jsonPath("$.data.activateChurnModel.errors[0].code")
        .isEqualTo("CHURN_MODEL_NOT_VALIDATED")
        .jsonPath("$.data.activateChurnModel.errors[0].message")
        .isEqualTo(
            "Not validated: the validation observations hold 0 churns among 500 rows, so no AUC"
                + " can be computed. This model cannot be activated.");
    graphql(Role.ADMIN, ACTIVATE, Map.of("v", 99), "en")
        .jsonPath("$.data.activateChurnModel.errors[0].code")
        .isEqualTo("NOT_FOUND");
    assertThat(
            db.sql("select count(*) from churn_model where active")
                .map((r, m) -> r.get(0, Long.class))
                .one()
                .block())
        .isZero();
    // no active model: no churn risk is served
    graphql(
            Role.ANALYST,
            "{ _entities(representations: [{__typename: \"Customer\", id: \"K0001\"}]) {"
                + " ... on Customer { churnRisk { probability } } } }",
            Map.of(),
            "en")
        .jsonPath("$.data._entities[0].churnRisk")
        .isEmpty();
  }

  @Test
  @Order(4)
  void theActivatedModelServesChurnRiskWithDriversAndListsCustomersByExpectedLostValue() {
    graphql(Role.ADMIN, ACTIVATE, Map.of("v", 1), "en")
        .jsonPath("$.data.activateChurnModel.errors")
        .isEmpty()
        .jsonPath("$.data.activateChurnModel.model.active")
        .isEqualTo(true);
    // every customer predicted
    assertThat(
            db.sql("select count(*) from churn_prediction where model_version = 1")
                .map((r, m) -> r.get(0, Long.class))
                .one()
                .block())
        .isEqualTo(600);

    String entity =
        """
        { _entities(representations: [{__typename: "Customer", id: "K0007"}]) {
            ... on Customer { churnRisk { probability horizonDays modelVersion asOf expectedLostValue
              drivers(top: 3) { feature value contribution label } } } } }
        """;
    String r = "$.data._entities[0].churnRisk.";
    graphql(Role.ANALYST, entity, Map.of(), "zh-CN")
        .jsonPath(r + "horizonDays")
        .isEqualTo(90)
        .jsonPath(r + "modelVersion")
        .isEqualTo(1)
        .jsonPath(r + "asOf")
        .isEqualTo(LocalDate.now(java.time.ZoneOffset.UTC).toString())
        .jsonPath(r + "probability")
        .value(Double.class, v -> assertThat(v).isBetween(0.0, 1.0))
        .jsonPath(r + "drivers.length()")
        .isEqualTo(3)
        // largest push towards churn first
        .jsonPath(r + "drivers[*].contribution")
        .value(
            List.class,
            c ->
                assertThat(c.stream().map(x -> ((Number) x).doubleValue()).toList())
                    .isSortedAccordingTo((a, b) -> Double.compare((Double) b, (Double) a)))
        .jsonPath(r + "drivers[0].label")
        .value(String.class, l -> assertThat(l).containsPattern("\\p{IsHan}"));

    // the list: everyone at ≥ 0.2, by expected lost value
    String list =
        """
        { customersByChurnRisk(filter: {minProbability: 0.2}, first: 500) {
            totalCount edges { node { id churnRisk { probability expectedLostValue } } } } }
        """;
    graphql(Role.ANALYST, list, Map.of(), "en")
        .jsonPath("$.data.customersByChurnRisk.edges[*].node.churnRisk.probability")
        .value(
            List.class,
            ps -> {
              assertThat(ps).isNotEmpty();
              ps.forEach(v -> assertThat(((Number) v).doubleValue()).isGreaterThanOrEqualTo(0.2));
            })
        .jsonPath("$.data.customersByChurnRisk.edges[*].node.churnRisk.expectedLostValue")
        .value(
            List.class,
            vs ->
                assertThat(vs.stream().map(x -> ((Number) x).doubleValue()).toList())
                    .isSortedAccordingTo((a, b) -> Double.compare((Double) b, (Double) a)))
        .jsonPath("$.data.customersByChurnRisk.totalCount")
        .value(
            Integer.class,
            n ->
                assertThat(n)
                    .isEqualTo(
                        db.sql("select count(*) from churn_prediction where probability >= 0.2")
                            .map((row, m) -> row.get(0, Long.class).intValue())
                            .one()
                            .block()));
  }

  @Test
  @Order(5)
  void rescoringKeepsTheActiveModelsPredictionsCurrent() {
    LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
    String rescore =
        "mutation($d: Date!) { rescore(input: {asOf: $d, customerIds: [\"K0042\"]}) { scored } }";
    graphql(Role.ADMIN, rescore, Map.of("d", today.plusDays(1).toString()), "en")
        .jsonPath("$.data.rescore.scored")
        .isEqualTo(1);
    Map<String, Object> row = prediction("K0042");
    assertThat(row.get("as_of")).isEqualTo(today.plusDays(1));
    assertThat(row.get("model_version")).isEqualTo(1);
    // the stored probability is the active model's for the aggregates the rescoring read
    ChurnModelRepository.StoredModel m = repository.active().block();
    double[] x = (double[]) row.get("features");
    assertThat((Double) row.get("probability")).isEqualTo(m.model().probability(x));
    assertThat(x[m.model().features().indexOf("days_since_last_order")])
        .isEqualTo(
            Math.log1p(
                java.time.temporal.ChronoUnit.DAYS.between(
                    STUB.activity(42, today.plusDays(1)).lastOrderDate(), today.plusDays(1))));
    // rescoring an older date leaves the newer prediction
    graphql(Role.ADMIN, rescore, Map.of("d", today.minusDays(30).toString()), "en")
        .jsonPath("$.data.rescore.scored")
        .isEqualTo(1);
    assertThat(prediction("K0042").get("as_of")).isEqualTo(today.plusDays(1));
  }

  @Autowired ChurnModelRepository repository;

  @Test
  @Order(6)
  void anAdminStoresTheWeightProposalAsTheNextProfileVersionAndNothingElseChangesIt() {
    String proposal =
        """
        { churnModel(version: 1) { report { weightProposal {
            baseProfile baseVersion currentAuc { value } proposedAuc { value } difference p
            weights { component current proposed perPoint } } } } }
        """;
    Map<String, Integer> proposed = new java.util.HashMap<>();
    graphql(Role.ANALYST, proposal, Map.of(), "en")
        .jsonPath("$.data.churnModel.report.weightProposal.baseProfile")
        .isEqualTo("default")
        .jsonPath("$.data.churnModel.report.weightProposal.baseVersion")
        .isEqualTo(1)
        .jsonPath("$.data.churnModel.report.weightProposal.currentAuc.value")
        .value(Double.class, a -> assertThat(a).isBetween(0.0, 1.0))
        .jsonPath("$.data.churnModel.report.weightProposal.weights[*].proposed")
        .value(
            List.class,
            w -> assertThat(w.stream().mapToInt(x -> ((Number) x).intValue()).sum()).isEqualTo(100))
        .jsonPath("$.data.churnModel.report.weightProposal.weights")
        .value(
            List.class,
            ws ->
                ws.forEach(
                    w -> {
                      Map<?, ?> m = (Map<?, ?>) w;
                      proposed.put(
                          (String) m.get("component"), ((Number) m.get("proposed")).intValue());
                    }));
    // proposing stored nothing: default is still at version 1
    String versions =
        "{ weightProfileVersions(name: \"default\") { version weights { name weight } } }";
    graphql(Role.ANALYST, versions, Map.of(), "en")
        .jsonPath("$.data.weightProfileVersions.length()")
        .isEqualTo(1);

    String adopt =
        """
        mutation($v: Int!, $p: String) { adoptChurnWeights(input: {version: $v, profileName: $p}) {
            profileName profileVersion errors { code field expected } } }
        """;
    graphql(Role.ANALYST, adopt, Map.of("v", 1, "p", "default"), "en")
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN");
    graphql(Role.ADMIN, adopt, Map.of("v", 1, "p", "no-such-profile"), "en")
        .jsonPath("$.data.adoptChurnWeights.errors[0].code")
        .isEqualTo("NOT_FOUND")
        .jsonPath("$.data.adoptChurnWeights.errors[0].field")
        .isEqualTo("input.profileName");
    graphql(Role.ADMIN, adopt, Map.of("v", 1, "p", "default"), "en")
        .jsonPath("$.data.adoptChurnWeights.errors")
        .isEmpty()
        .jsonPath("$.data.adoptChurnWeights.profileName")
        .isEqualTo("default")
        .jsonPath("$.data.adoptChurnWeights.profileVersion")
        .isEqualTo(2);
    graphql(Role.ANALYST, versions, Map.of(), "en")
        .jsonPath("$.data.weightProfileVersions[1].version")
        .isEqualTo(2)
        .jsonPath("$.data.weightProfileVersions[1].weights")
        .value(
            List.class,
            ws -> {
              Map<String, Integer> stored = new java.util.HashMap<>();
              ws.forEach(
                  w -> {
                    Map<?, ?> m = (Map<?, ?>) w;
                    stored.put((String) m.get("name"), ((Number) m.get("weight")).intValue());
                  });
              proposed.values().removeIf(v -> v == 0);
              assertThat(stored).isEqualTo(proposed);
            });
  }

  Map<String, Object> prediction(String id) {
    return db.sql(
            "select as_of, model_version, probability, features from churn_prediction"
                + " where customer_id = $1")
        .bind(0, id)
        .map(
            (r, m) -> {
              double[] x =
                  ChurnModelRepository.features(r.get("features", java.nio.ByteBuffer.class));
              return Map.<String, Object>of(
                  "as_of", r.get("as_of", LocalDate.class),
                  "model_version", r.get("model_version", Integer.class),
                  "probability", r.get("probability", Double.class),
                  "features", x);
            })
        .one()
        .block();
  }
}
