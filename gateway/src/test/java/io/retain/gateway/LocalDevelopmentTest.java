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
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Without the production profile: GraphiQL at /graphiql and introspection, for front-end work. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class LocalDevelopmentTest {

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

  @Test
  void graphiqlIsServedAndPointsAtThisGatewaysGraphqlEndpoint() {
    String page =
        http.get()
            .uri("/graphiql")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(page)
        .contains("GraphiQL.createFetcher({ url: new URL('/graphql', location.href)")
        .contains("customersByLoyalty");
  }

  @Test
  void introspectionAnswersWithTheClientSchemaOnly() {
    Map<?, ?> body =
        http.post()
            .uri("/graphql")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("query", "{ __schema { queryType { fields { name } } } }"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    assertThat(body.toString()).contains("name=hello").doesNotContain("_entities", "_service");
  }
}
