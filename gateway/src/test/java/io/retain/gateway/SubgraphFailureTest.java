package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.time.Duration;
import java.util.*;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A subgraph that is down, slow or failing costs the client only that subgraph's fields: HTTP 200,
 * the rest of the data, {@code null} where it would have answered, and an error with code {@code
 * SUBGRAPH_UNAVAILABLE}, its name and the path; full answers again once it is back.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience4j.timelimiter.configs.default.timeout-duration=1s",
      "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4",
      "resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
      // long enough that a loaded machine still finds the breaker open on the next request
      "resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state=3s",
    })
@AutoConfigureWebTestClient
class SubgraphFailureTest {

  static final TestSubgraph ACCOUNTS =
      FederationGatewayTest.start(
          """
          type Query { users: [User!]! }
          type User @key(fields: "id") { id: ID!  name: String! }
          """);

  /** Plans are nullable on User: a plans outage must not erase the users. */
  static final TestSubgraph PLANS =
      FederationGatewayTest.start(
          """
          type Query { openPlanCount: Int }
          type User @key(fields: "id") { id: ID!  plans: [String!] }
          """);

  static {
    ACCOUNTS.fetch(
        "Query",
        "users",
        e -> List.of(Map.of("id", "u1", "name", "Ann"), Map.of("id", "u2", "name", "Bo")));
    PLANS
        .fetch("Query", "openPlanCount", e -> 7)
        .entities((t, r) -> Map.of("plans", List.of("call " + r.get("id"))));
  }

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(r, Map.of("accounts", ACCOUNTS, "plans", PLANS));
  }

  @Autowired WebTestClient http;
  @Autowired CircuitBreakerRegistry breakers;

  static final String QUERY = "{ users { id name plans } openPlanCount }";

  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() throws InterruptedException {
    GatewayTests.awaitSupergraph(state);
  }

  @AfterEach
  void bringPlansBack() throws Exception {
    PLANS.delay(Duration.ZERO);
    try {
      PLANS.restart();
    } catch (java.net.BindException alreadyUp) {
      // the test left it running
    }
    breakers.circuitBreaker("plans").reset();
  }

  @AfterAll
  static void close() {
    ACCOUNTS.close();
    PLANS.close();
  }

  @Test
  void aStoppedSubgraphGivesPartialDataWithSubgraphUnavailableAndHttp200() {
    assertThat(ask().get("errors")).isNull();
    PLANS.stop();

    Map<String, Object> body = ask();

    assertThat(body.get("data"))
        .isEqualTo(
            mapOf(
                "users",
                List.of(
                    mapOf("id", "u1", "name", "Ann", "plans", null),
                    mapOf("id", "u2", "name", "Bo", "plans", null)),
                "openPlanCount",
                null));
    List<Map<String, Object>> errors = errors(body);
    assertThat(errors).hasSize(2);
    assertThat(errors).extracting(e -> e.get("path")).contains(List.of("users"));
    assertThat(errors).extracting(e -> e.get("path")).contains(List.of("openPlanCount"));
    for (Map<String, Object> e : errors) {
      assertThat(e.get("extensions"))
          .isEqualTo(
              Map.of(
                  "code", "SUBGRAPH_UNAVAILABLE",
                  "subgraph", "plans",
                  "reason", "connection refused"));
      assertThat(e.get("message")).asString().doesNotContain("127.0.0.1").doesNotContain("at io.");
    }
  }

  @Test
  void aSlowSubgraphIsCutOffAtItsTimeLimit() {
    PLANS.delay(Duration.ofSeconds(3));
    long start = System.nanoTime();

    Map<String, Object> body = ask();

    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).isLessThan(2_500);
    assertThat(errors(body))
        .allSatisfy(
            e ->
                assertThat(e.get("extensions"))
                    .isEqualTo(
                        Map.of(
                            "code",
                            "SUBGRAPH_UNAVAILABLE",
                            "subgraph",
                            "plans",
                            "reason",
                            "timed out")));
    assertThat(users(body)).extracting(u -> u.get("name")).containsExactly("Ann", "Bo");
  }

  @Test
  void repeatedFailuresOpenTheBreakerWhichAnswersAtOnceAndClosesWhenTheSubgraphIsBack()
      throws Exception {
    PLANS.stop();
    for (int i = 0; i < 3; i++) ask(); // two calls to plans per request: the window fills
    assertThat(breakers.circuitBreaker("plans").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    int callsBefore = PLANS.received.size();

    Map<String, Object> open = ask();

    assertThat(errors(open))
        .extracting(e -> (Object) ((Map<?, ?>) e.get("extensions")).get("reason"))
        .containsOnly("circuit breaker open");
    assertThat(users(open)).hasSize(2);
    assertThat(breakers.circuitBreaker("accounts").getState())
        .as("one subgraph's breaker never trips another's")
        .isEqualTo(CircuitBreaker.State.CLOSED);

    PLANS.restart();
    // the open state lasts 3 s; then probe calls close it again
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              Map<String, Object> back = ask();
              assertThat(back.get("errors")).isNull();
              assertThat(users(back))
                  .extracting(u -> u.get("plans"))
                  .containsExactly(List.of("call u1"), List.of("call u2"));
            });
    assertThat(PLANS.received.size()).isGreaterThan(callsBefore);
  }

  @Test
  void aSubgraphAnsweringHttp5xxIsUnavailableToo() {
    PLANS.stop();
    try (var broken = new BrokenServer(PLANS.url())) {
      Map<String, Object> body = ask();
      assertThat(errors(body))
          .extracting(e -> (Object) ((Map<?, ?>) e.get("extensions")).get("reason"))
          .containsOnly("HTTP 503");
      assertThat(users(body)).extracting(u -> u.get("id")).containsExactly("u1", "u2");
    }
  }

  private Map<String, Object> ask() {
    return http.post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("query", QUERY))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(
            new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> errors(Map<String, Object> body) {
    assertThat(body.get("errors")).as("errors in %s", body).isNotNull();
    return (List<Map<String, Object>>) body.get("errors");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> users(Map<String, Object> body) {
    return (List<Map<String, Object>>) ((Map<String, Object>) body.get("data")).get("users");
  }

  private static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  /** Takes the stopped subgraph's port and answers 503 with an HTML page, like a proxy would. */
  static final class BrokenServer implements AutoCloseable {
    final com.sun.net.httpserver.HttpServer server;

    BrokenServer(String url) {
      try {
        int port = java.net.URI.create(url).getPort();
        server =
            com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", port), 0);
        server.createContext(
            "/",
            ex -> {
              byte[] b = "<html>upstream down</html>".getBytes();
              ex.sendResponseHeaders(503, b.length);
              ex.getResponseBody().write(b);
              ex.close();
            });
        server.start();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
