package io.retain.scoring.customer;

import io.retain.scoring.rescoring.RescoringService;
import io.retain.scoring.rescoring.StoredScoresTest;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Probe row 2.9: scoring's Customer entity and its loyalty, loyaltyHistory and warnings fields
 * answer only a caller with role ANALYST (or one implying it): without a token UNAUTHENTICATED,
 * with a token that has no role FORBIDDEN, and no data either way.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class EntityFieldAuthorizationTest {

  static final String ENTITIES =
      """
      { _entities(representations: [{__typename: "Customer", id: "C002"}]) {
          ... on Customer { id loyalty { score tier } loyaltyHistory { asOf score }
            warnings { toTier reasons } } } }
      """;

  @Autowired WebTestClient http;
  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void workedExampleScored() throws Exception {
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
    rescoring.store(StoredScoresTest.workedExample(), LocalDate.parse("2026-06-30"), null).block();
  }

  WebTestClient.BodyContentSpec post(String query, Role... roles) {
    return post(query, Tokens.hs256(secret, "t", Duration.ofHours(1), roles));
  }

  WebTestClient.BodyContentSpec post(String query, String token) {
    WebTestClient.RequestBodySpec req = http.post().uri("/graphql");
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return req.bodyValue(Map.of("query", query)).exchange().expectStatus().isOk().expectBody();
  }

  @Test
  void withoutATokenEntitiesAreRefusedAndCarryNoData() {
    refusedWithoutData(post(ENTITIES, (String) null), "UNAUTHENTICATED");
  }

  @Test
  void aTokenWithoutARoleIsForbiddenAndGetsNoData() {
    refusedWithoutData(post(ENTITIES), "FORBIDDEN");
  }

  static void refusedWithoutData(WebTestClient.BodyContentSpec answer, String code) {
    answer
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo(code)
        .jsonPath("$.errors[0].path[0]")
        .isEqualTo("_entities")
        .jsonPath("$.data._entities[0].loyalty")
        .doesNotExist()
        .jsonPath("$.data._entities[0].loyaltyHistory")
        .doesNotExist()
        .jsonPath("$.data._entities[0].warnings")
        .doesNotExist();
  }

  @Test
  void analystReadsLoyaltyHistoryAndWarnings() {
    post(ENTITIES, Role.ANALYST)
        .jsonPath("$.errors")
        .doesNotExist()
        .jsonPath("$.data._entities[0].id")
        .isEqualTo("C002")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(68.1)
        .jsonPath("$.data._entities[0].loyaltyHistory[0].asOf")
        .isEqualTo("2026-06-30")
        .jsonPath("$.data._entities[0].warnings")
        .isArray();
  }
}
