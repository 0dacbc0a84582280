package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Identical queries in flight at once share one subgraph request (as Hive Gateway does by default);
 * a different token, different variables or a mutation never share.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeduplicationTest {

  static final AtomicInteger VISITS = new AtomicInteger();

  static final TestSubgraph COUNTER =
      FederationGatewayTest.start(
              """
              type Query { visits(page: Int): [Int!]! }
              type Mutation { visit: Int! }
              """)
          .fetch("Query", "visits", e -> List.of(VISITS.incrementAndGet(), 0))
          .fetch("Mutation", "visit", e -> VISITS.incrementAndGet());

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(r, Map.of("counter", COUNTER));
  }

  @AfterAll
  static void close() {
    COUNTER.close();
  }

  @LocalServerPort int port;
  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() throws InterruptedException {
    GatewayTests.awaitSupergraph(state);
    COUNTER.delay(Duration.ofMillis(400)); // long enough for all 8 to be in flight together
    COUNTER.received.clear();
  }

  List<Map<?, ?>> eightAtOnce(String query, boolean distinctTokens) {
    WebClient web = WebClient.create("http://127.0.0.1:" + port);
    return Flux.range(0, 8)
        .flatMap(
            i ->
                web.post()
                    .uri("/graphql")
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(
                        "Authorization",
                        "Bearer "
                            + (distinctTokens && i % 2 == 1 ? OTHER : FederationGatewayTest.TOKEN))
                    .bodyValue(Map.of("query", query))
                    .retrieve()
                    .bodyToMono(Map.class),
            8)
        .<Map<?, ?>>map(m -> m)
        .collectList()
        .block(Duration.ofSeconds(20));
  }

  /** Another user's token (same secret, another subject). */
  static final String OTHER = FederationGatewayTest.token("someone-else");

  @Test
  void identicalQueriesInFlightShareOneSubgraphRequestAndEachGetsTheAnswer() {
    List<Map<?, ?>> answers = eightAtOnce("{ visits(page: 1) }", false);

    assertThat(COUNTER.received).hasSize(1);
    assertThat(answers).hasSize(8).allSatisfy(a -> assertThat(a.get("errors")).isNull());
    assertThat(answers.stream().map(a -> a.get("data")).distinct()).hasSize(1);
  }

  @Test
  void aDifferentTokenIsADifferentRequest() {
    eightAtOnce("{ visits(page: 2) }", true);
    assertThat(COUNTER.received).hasSize(2);
  }

  @Test
  void mutationsAreNeverShared() {
    List<Map<?, ?>> answers = eightAtOnce("mutation { visit }", false);
    assertThat(COUNTER.received).hasSize(8);
    assertThat(answers.stream().map(a -> a.get("data")).distinct()).hasSize(8);
  }
}
