package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.cockpit.ContentSecurityPolicy;
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
    // no CDN: every script and style comes from this gateway, under a same-origin CSP
    assertThat(page)
        .contains("/webjars/graphiql/2.4.7/graphiql.min.js", "/graphiql/start.js")
        .doesNotContain("https://", "unpkg");
    String start =
        http.get()
            .uri("/graphiql/start.js")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(start)
        .contains("GraphiQL.createFetcher({ url: new URL('/graphql', location.href)")
        .contains("customersByLoyalty");
    http.get()
        .uri("/webjars/graphiql/2.4.7/graphiql.min.js")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Content-Security-Policy", ContentSecurityPolicy.POLICY);
  }

  @Test
  void theCockpitIsServedFromTheJarUnderASameOriginPolicy() {
    http.get()
        .uri("/cockpit")
        .exchange()
        .expectStatus()
        .isPermanentRedirect()
        .expectHeader()
        .location("/cockpit/");
    String index =
        http.get()
            .uri("/cockpit/")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .valueEquals("Content-Security-Policy", ContentSecurityPolicy.POLICY)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(index).contains("<script type=\"module\" src=\"app.js\"></script>");
    String board =
        http.get()
            .uri("/cockpit/screens/board.graphql")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(board).contains("customersByLoyalty(filter: $filter, first: $first, after: $after)");
    http.get()
        .uri("/webjars/preact/10.24.3/dist/preact.module.js")
        .exchange()
        .expectStatus()
        .isOk();
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
