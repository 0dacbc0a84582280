package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import graphql.schema.DataFetcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.retain.gateway.observe.GatewayTelemetry;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Set-up shared by the gateway's Spring tests. */
final class GatewayTests {

  private GatewayTests() {}

  /**
   * The telemetry tests' accounts subgraph: {@code users(first)} (ids u1…) and {@code secretive},
   * which fails with FORBIDDEN.
   */
  static TestSubgraph accounts() {
    return FederationGatewayTest.start(
            """
            type Query { users(first: Int): [User!]!  secretive: String }
            type User @key(fields: "id") { id: ID!  name: String! }
            """)
        .fetch("Query", "users", e -> users(e.getArgument("first"), false))
        .fetch("Query", "secretive", FORBIDDEN);
  }

  /** {@code users(first)}: u1… named "User <n>", with an email each when asked. */
  static List<Map<String, Object>> users(int first, boolean emails) {
    List<Map<String, Object>> users = new ArrayList<>();
    for (int i = 1; i <= first; i++) {
      users.add(
          emails
              ? Map.of("id", "u" + i, "name", "User " + i, "email", "u" + i + "@x.io")
              : Map.of("id", "u" + i, "name", "User " + i));
    }
    return users;
  }

  /** A field that always fails with FORBIDDEN. */
  static final DataFetcher<Object> FORBIDDEN =
      e -> {
        throw graphql.GraphqlErrorException.newErrorException()
            .message("not for you")
            .extensions(Map.of("code", "FORBIDDEN"))
            .build();
      };

  /** The telemetry tests' reviews subgraph: {@code User.reviews} ("about <id>") by entity. */
  static TestSubgraph reviews() {
    TestSubgraph reviews =
        FederationGatewayTest.start(
            """
            type Query { reviewsVersion: String }
            type Review { body: String! }
            type User @key(fields: "id") { id: ID!  reviews: [Review!]! }
            """);
    reviews.entities((t, r) -> Map.of("reviews", List.of(Map.of("body", "about " + r.get("id")))));
    return reviews;
  }

  /** Subgraph fetches recorded for {@code subgraph} with {@code outcome} (0 before any). */
  static long fetches(MeterRegistry meters, String subgraph, String outcome) {
    Timer t =
        meters.find(GatewayTelemetry.FETCH).tags("subgraph", subgraph, "outcome", outcome).timer();
    return t == null ? 0 : t.count();
  }

  /** Query operations named {@code name} recorded with {@code outcome} (0 before any). */
  static long operations(MeterRegistry meters, String name, String outcome) {
    Timer t =
        meters
            .find(GatewayTelemetry.OPERATION)
            .tags("operation.name", name, "operation.type", "query", "outcome", outcome)
            .timer();
    return t == null ? 0 : t.count();
  }

  /** Federates exactly these test subgraphs (the suite's own three are switched off). */
  static void federate(DynamicPropertyRegistry r, Map<String, TestSubgraph> subgraphs) {
    for (String own : List.of("customer", "scoring", "retention"))
      r.add("retain.gateway.subgraphs." + own, () -> "");
    subgraphs.forEach((name, s) -> r.add("retain.gateway.subgraphs." + name, s::url));
  }

  /** Waits until the gateway has composed and loaded its supergraph (it does so in background). */
  static void awaitSupergraph(GatewayState state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(state.engine()).as("supergraph loaded").isNotNull());
  }

  /** POSTs a JSON body to /graphql, expects HTTP 200 and returns the response as a map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> postOk(
      org.springframework.test.web.reactive.server.WebTestClient http, Object body) {
    return http.post()
        .uri("/graphql")
        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }
}
