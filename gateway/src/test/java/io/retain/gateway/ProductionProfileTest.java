package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The production profile: no anonymous requests, no introspection, no GraphiQL page, and no
 * exception details in any answer. (Locally all three are on: {@link LocalDevelopmentTest}.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("production")
@AutoConfigureWebTestClient
class ProductionProfileTest {

  static final TestSubgraph ACCOUNTS =
      FederationGatewayTest.start("type Query { hello: String }")
          .fetch("Query", "hello", e -> "world");

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(r, Map.of("accounts", ACCOUNTS));
  }

  @AfterAll
  static void close() {
    ACCOUNTS.close();
  }

  @Autowired WebTestClient http;
  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() throws InterruptedException {
    GatewayTests.awaitSupergraph(state);
  }

  WebTestClient.ResponseSpec ask(String query, String token) {
    var req =
        http.post()
            .uri("/graphql")
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_JSON);
    if (token != null) req = req.header("Authorization", "Bearer " + token);
    return req.bodyValue(Map.of("query", query)).exchange();
  }

  @Test
  void aRequestWithoutTokenIsRefused() {
    ask("{ hello }", null)
        .expectStatus()
        .isEqualTo(HttpStatus.UNAUTHORIZED)
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("UNAUTHENTICATED");
    ask("{ hello }", FederationGatewayTest.TOKEN)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.data.hello")
        .isEqualTo("world");
  }

  @Test
  void introspectionIsOffButTypenameStillAnswers() {
    ask("{ __schema { types { name } } }", FederationGatewayTest.TOKEN)
        .expectBody()
        .jsonPath("$.data.__schema")
        .doesNotExist()
        .jsonPath("$.errors[0].message")
        .isEqualTo("Introspection has been disabled for this request")
        .jsonPath("$.errors[0].extensions.classification")
        .isEqualTo("IntrospectionDisabled");
    ask("{ __type(name: \"Query\") { name } }", FederationGatewayTest.TOKEN)
        .expectBody()
        .jsonPath("$.errors[0].extensions.classification")
        .isEqualTo("IntrospectionDisabled");
    ask("{ __typename hello }", FederationGatewayTest.TOKEN)
        .expectBody()
        .jsonPath("$.data.__typename")
        .isEqualTo("Query")
        .jsonPath("$.errors")
        .doesNotExist();
  }

  @Test
  void thereIsNoGraphiqlPage() {
    http.get().uri("/graphiql").exchange().expectStatus().isNotFound();
  }

  @Test
  void noAnswerCarriesExceptionDetails() {
    // a body that is not JSON, a wrong media type, and an unknown path
    String notJson =
        http.post()
            .uri("/graphql")
            .contentType(MediaType.APPLICATION_JSON)
            .header("Authorization", "Bearer " + FederationGatewayTest.TOKEN)
            .bodyValue("{ not json")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(notJson)
        .isEqualTo(
            "{\"errors\":[{\"message\":\"request body is not JSON\",\"extensions\":{\"code\":\"BAD_REQUEST\"}}]}");
    String unknown =
        http.get()
            .uri("/no/such/page")
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(String.valueOf(unknown)).doesNotContain("Exception", "trace", "\tat ");
  }
}
