package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One subgraph configured with two URLs (two real HTTP servers with the same schema): calls are
 * spread over both; with one stopped every request still gets its full answer from the other (no
 * failed request, not even the one that finds it down), and traffic returns once it is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ReplicatedSubgraphTest {

  static final String SDL =
      """
      type Query { users: [User!]! }
      type User @key(fields: "id") { id: ID!  name: String! }
      """;
  static final TestSubgraph FIRST = FederationGatewayTest.start(SDL);
  static final TestSubgraph SECOND = FederationGatewayTest.start(SDL);

  static {
    for (TestSubgraph s : List.of(FIRST, SECOND)) {
      s.fetch("Query", "users", e -> List.of(Map.of("id", "u1", "name", "Ann")));
    }
  }

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    for (String own : List.of("customer", "scoring", "retention"))
      r.add("retain.gateway.subgraphs." + own, () -> "");
    // the single-URL form with the path on the last entry only, as CUSTOMER_URL=a,b gives
    r.add(
        "retain.gateway.subgraphs.accounts",
        () -> FIRST.url().replace("/graphql", "") + "," + SECOND.url());
  }

  @Autowired WebTestClient http;
  @Autowired GatewayState state;
  @Autowired CircuitBreakerRegistry breakers;

  @AfterAll
  static void close() {
    FIRST.close();
    SECOND.close();
  }

  @Test
  void spreadsCallsFailsOverWithoutErrorsAndSendsTrafficBackWhenTheInstanceReturns()
      throws Exception {
    GatewayTests.awaitSupergraph(state);
    for (int i = 0; i < 10; i++) assertFullAnswer();
    assertThat(FIRST.count("users")).isEqualTo(5);
    assertThat(SECOND.count("users")).isEqualTo(5);

    SECOND.stop();
    long firstBefore = FIRST.count("users");
    for (int i = 0; i < 30; i++) assertFullAnswer();
    assertThat(FIRST.count("users") - firstBefore).isEqualTo(30);
    assertThat(breakers.circuitBreaker("accounts").getState())
        .isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breakers.circuitBreaker("accounts").getMetrics().getNumberOfFailedCalls()).isZero();

    SECOND.restart();
    long secondBefore = SECOND.count("users");
    // after its back-off (1 s, 2 s, … while it was down) the next calls probe it and use it again
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertFullAnswer();
              assertThat(SECOND.count("users")).isGreaterThan(secondBefore + 2);
            });
  }

  private void assertFullAnswer() {
    Map<String, Object> body = GatewayTests.postOk(http, Map.of("query", "{ users { id name } }"));
    assertThat(body).doesNotContainKey("errors");
    assertThat(body.get("data"))
        .isEqualTo(Map.of("users", List.of(Map.of("id", "u1", "name", "Ann"))));
  }
}
