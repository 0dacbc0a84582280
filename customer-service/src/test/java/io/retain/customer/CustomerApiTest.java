package io.retain.customer;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Base for end-to-end tests of customer-service over HTTP, each class on a fresh database. */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
@AutoConfigureHttpGraphQlTester
@ActiveProfiles("test")
public abstract class CustomerApiTest {

  @Autowired protected WebTestClient http;

  @Autowired HttpGraphQlTester graphQlTester;

  @Value("${retain.security.jwt-secret}")
  String secret;

  protected String token(Role role) {
    return Tokens.hs256(secret, "test-" + role, Duration.ofHours(1), role);
  }

  protected WebTestClient.ResponseSpec importNdjson(String entity, String body) {
    return http.post()
        .uri("/import/" + entity)
        .header("Authorization", "Bearer " + token(Role.DATA_STEWARD))
        .contentType(MediaType.parseMediaType("application/x-ndjson"))
        .bodyValue(body)
        .exchange();
  }

  protected WebTestClient.ResponseSpec importCsv(String entity, String body) {
    return http.post()
        .uri("/import/" + entity)
        .header("Authorization", "Bearer " + token(Role.DATA_STEWARD))
        .contentType(MediaType.parseMediaType("text/csv"))
        .bodyValue(body)
        .exchange();
  }

  /**
   * A GraphQL client over HTTP with a token of {@code role}; {@code documentName(n)} reads {@code
   * graphql-test/n.graphql}.
   */
  protected HttpGraphQlTester graphQl(Role role) {
    return graphQlTester
        .mutate()
        .responseTimeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token(role))
        .build();
  }

  protected WebTestClient.BodyContentSpec graphql(
      Role role, String query, Map<String, Object> vars) {
    return http.post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + token(role))
        .bodyValue(Map.of("query", query, "variables", vars))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  protected void importWorkedExample() {
    WorkedExample.ndjson()
        .forEach(
            (entity, body) ->
                importNdjson(entity, body)
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.quarantined")
                    .isEqualTo(0));
  }
}
