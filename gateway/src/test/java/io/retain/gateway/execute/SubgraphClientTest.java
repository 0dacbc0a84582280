package io.retain.gateway.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * In-flight deduplication at the client level: callers sharing one subgraph request each get a tree
 * of their own (the executor merges entity fields into it), and nobody is left waiting.
 */
class SubgraphClientTest {

  TestSubgraph items;
  SubgraphClient client;

  @BeforeEach
  void start() throws Exception {
    items =
        new TestSubgraph("type Query { items: [Item!]! }  type Item { id: ID!  tags: [String!]! }")
            .fetch(
                "Query",
                "items",
                e ->
                    List.of(
                        Map.of("id", "i1", "tags", List.of("a")),
                        Map.of("id", "i2", "tags", List.of())));
    items.delay(Duration.ofMillis(300)); // all callers below join while the first is in flight
    client =
        new SubgraphClient(
            "items",
            items.url(),
            WebClient.builder(),
            new SubgraphGuards(
                CircuitBreakerRegistry.ofDefaults(),
                BulkheadRegistry.ofDefaults(),
                TimeLimiterRegistry.of(
                    io.github.resilience4j.timelimiter.TimeLimiterConfig.custom()
                        .timeoutDuration(Duration.ofSeconds(10))
                        .build())));
  }

  @AfterEach
  void stop() {
    items.close();
  }

  List<Map<String, Object>> threeAtOnce() throws Exception {
    List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) calls.add(client.execute("{ items { id tags } }", Map.of(), "t"));
    List<Map<String, Object>> out = new ArrayList<>();
    for (var c : calls) out.add(c.get(10, TimeUnit.SECONDS));
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void callersSharingARequestEachGetTheirOwnTree() throws Exception {
    List<Map<String, Object>> answers = threeAtOnce();

    assertThat(items.received).hasSize(1);
    assertThat(answers.get(0)).as("answer").containsKey("data");
    assertThat(answers.get(0)).isEqualTo(answers.get(1)).isEqualTo(answers.get(2));
    // what one caller merges into its answer, at any depth, the others do not see
    Map<String, Object> first = (Map<String, Object>) answers.get(0).get("data");
    Map<String, Object> item = ((List<Map<String, Object>>) first.get("items")).get(0);
    item.put("name", "merged by caller 0");
    ((List<Object>) item.get("tags")).add("b");
    for (Map<String, Object> other : answers.subList(1, 3)) {
      assertThat(other.toString()).doesNotContain("merged by caller 0").doesNotContain("b]");
      assertThat(other)
          .isEqualTo(
              Map.of(
                  "data",
                  Map.of(
                      "items",
                      List.of(
                          Map.of("id", "i1", "tags", List.of("a")),
                          Map.of("id", "i2", "tags", List.of())))));
    }
  }

  @Test
  void aQueryAskedAfterTheSharedOneEndedIsSentAgain() throws Exception {
    threeAtOnce();
    threeAtOnce();
    assertThat(items.received).hasSize(2);
  }

  @Test
  void whenTheSubgraphIsDownEveryWaiterGetsTheUnavailableAnswer() throws Exception {
    items.stop();
    List<Map<String, Object>> answers = threeAtOnce();
    assertThat(answers)
        .allSatisfy(
            a ->
                assertThat(a.toString())
                    .contains(SubgraphClient.UNAVAILABLE)
                    .contains("subgraph=items"));
    items.restart();
    assertThat(client.execute("{ items { id tags } }", Map.of(), "t").get(10, TimeUnit.SECONDS))
        .containsKey("data");
  }
}
