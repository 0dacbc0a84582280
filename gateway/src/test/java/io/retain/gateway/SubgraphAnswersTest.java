package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Large legitimate answers come through; an answer over the size limit is that request's own error
 * and never opens the subgraph's breaker; a subgraph's null that came with its error gets no second
 * "non null" error from the gateway.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "retain.gateway.max-subgraph-response=1MB",
      "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4",
      "resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
    })
@AutoConfigureWebTestClient
class SubgraphAnswersTest {

  static final TestSubgraph ROWS =
      FederationGatewayTest.start(
          """
          type Query {
            rows(n: Int!): [String!]!
            strictRows(first: Int!): [String!]!
            status: String
          }
          """);

  static {
    ROWS.fetch("Query", "rows", e -> rows(e.getArgument("n")))
        .fetch(
            "Query",
            "strictRows",
            e -> {
              int first = e.getArgument("first");
              if (first > 0) return rows(first);
              // what the services do for first: -1: an error at the field, null data
              return DataFetcherResult.newResult()
                  .error(
                      GraphqlErrorBuilder.newError(e)
                          .message("first " + first + " is out of range")
                          .extensions(Map.of("code", "BAD_USER_INPUT"))
                          .build())
                  .build();
            })
        .fetch("Query", "status", e -> "ok");
  }

  /** n rows of 100 characters: about 102 bytes of JSON each. */
  static List<String> rows(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add("r".repeat(100));
    return out;
  }

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(r, Map.of("rows", ROWS));
  }

  @Autowired WebTestClient http;
  @Autowired CircuitBreakerRegistry breakers;
  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() throws InterruptedException {
    GatewayTests.awaitSupergraph(state);
    breakers.circuitBreaker("rows").reset();
  }

  @AfterAll
  static void close() {
    ROWS.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void anAnswerOverTheOld256KbBufferComesThrough() {
    Map<String, Object> body = ask("{ rows(n: 5000) }"); // ~510 KB

    assertThat(body.get("errors")).as("errors").isNull();
    assertThat((List<String>) ((Map<String, Object>) body.get("data")).get("rows")).hasSize(5000);
  }

  @Test
  @SuppressWarnings("unchecked")
  void anAnswerOverTheLimitIsThatRequestsErrorAndNeverOpensTheBreaker() {
    for (int i = 0; i < 12; i++) {
      Map<String, Object> body = ask("{ rows(n: 20000) }"); // ~2 MB, limit 1 MB

      assertThat(body.get("data")).isNull(); // rows is non-null: the root nulls
      List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("errors");
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).get("path")).isEqualTo(List.of("rows"));
      assertThat(errors.get(0).get("extensions"))
          .isEqualTo(
              Map.of("code", "SUBGRAPH_RESPONSE_TOO_LARGE", "subgraph", "rows", "limit", 1048576));
    }

    CircuitBreaker breaker = breakers.circuitBreaker("rows");
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
    assertThat(ask("{ status }")).isEqualTo(Map.of("data", Map.of("status", "ok")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aNullThatCameWithItsErrorGetsNoSecondNonNullError() {
    Map<String, Object> body = ask("{ strictRows(first: -1) status }");

    assertThat(body).containsEntry("data", null);
    List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("errors");
    assertThat(errors)
        .extracting(e -> e.get("message"))
        .containsExactly("first -1 is out of range");
    assertThat((Map<String, Object>) errors.get(0).get("extensions"))
        .containsEntry("code", "BAD_USER_INPUT");
    assertThat(errors.get(0).get("path")).isEqualTo(List.of("strictRows"));
  }

  private Map<String, Object> ask(String query) {
    return http.mutate()
        .responseTimeout(java.time.Duration.ofSeconds(60))
        .codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20))
        .build()
        .post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("query", query))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }
}
