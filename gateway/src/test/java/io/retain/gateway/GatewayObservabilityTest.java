package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.retain.gateway.observe.GatewayTelemetry;
import io.retain.gateway.observe.OperationNames;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What operators see of a request through the gateway: its spans (exported to an in-memory
 * exporter, every trace sampled) with their parent links and the traceparent each subgraph
 * received, and the metrics on {@code /actuator/prometheus} with their values. The links further
 * down (subgraph server span, GraphQL, R2DBC) are checked across real processes by deploy/e2e
 * {@code TraceEndToEndTest}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "retain.gateway.metrics.max-operation-names=5",
      "management.tracing.sampling.probability=1.0",
      "management.opentelemetry.tracing.export.schedule-delay=20ms",
      // every call its own subgraph request, so counts per request are exact
      "retain.gateway.deduplicate-inflight=false"
    })
@AutoConfigureWebTestClient
class GatewayObservabilityTest {

  static final TestSubgraph ACCOUNTS = GatewayTests.accounts();
  static final TestSubgraph REVIEWS = GatewayTests.reviews();
  static final TestSubgraph INVENTORY =
      FederationGatewayTest.start(
          """
          type Query { inventoryVersion: String }
          type User @key(fields: "id") { id: ID!  rank: Int }
          """);

  static {
    INVENTORY.entities((t, r) -> Map.of("rank", 1));
  }

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(
        r, Map.of("accounts", ACCOUNTS, "reviews", REVIEWS, "inventory", INVENTORY));
  }

  @AfterAll
  static void stop() {
    ACCOUNTS.close();
    REVIEWS.close();
    INVENTORY.close();
  }

  @TestConfiguration
  static class Spans {
    /** Picked up by Boot's OpenTelemetry SDK like any exporter bean (beside none: no OTLP URL). */
    @Bean
    InMemorySpanExporter inMemorySpans() {
      return InMemorySpanExporter.create();
    }
  }

  @Autowired WebTestClient http;
  @Autowired GatewayState state;
  @Autowired InMemorySpanExporter spans;
  @Autowired MeterRegistry meters;

  @BeforeEach
  void ready() {
    GatewayTests.awaitSupergraph(state);
    spans.reset();
    ACCOUNTS.traceparents.clear();
    REVIEWS.traceparents.clear();
  }

  static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CLIENT_SPAN = "00f067aa0ba902b7";

  @Test
  void oneTraceFromTheClientThroughTheOperationAndItsFetchesIntoEachSubgraph() {
    http.post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .header("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01")
        .bodyValue(
            Map.of(
                "query",
                "query TopUsers { users(first: 3) { name reviews { body } } }",
                "operationName",
                "TopUsers"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.data.users[2].reviews[0].body")
        .isEqualTo("about u3");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(named(GatewayTelemetry.FETCH)).hasSize(2)); // exported in batches
    SpanData operation = only(GatewayTelemetry.OPERATION);
    assertThat(operation.getTraceId()).isEqualTo(CLIENT_TRACE);
    assertThat(attr(operation, "operation.name")).isEqualTo("TopUsers");
    assertThat(attr(operation, "operation.type")).isEqualTo("query");
    assertThat(attr(operation, "outcome")).isEqualTo("ok");
    // the operation is a child of the gateway's HTTP server span, itself the client's child
    SpanData server = byId(operation.getParentSpanId());
    assertThat(server.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.SERVER);
    assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN);

    for (TestSubgraph subgraph : List.of(ACCOUNTS, REVIEWS)) {
      String name = subgraph == ACCOUNTS ? "accounts" : "reviews";
      SpanData fetch =
          named(GatewayTelemetry.FETCH).stream()
              .filter(s -> name.equals(attr(s, "subgraph")))
              .findFirst()
              .orElseThrow();
      assertThat(fetch.getParentSpanId()).isEqualTo(operation.getSpanId());
      assertThat(fetch.getTraceId()).isEqualTo(CLIENT_TRACE);
      assertThat(attr(fetch, "breaker.state")).isEqualTo("CLOSED");
      assertThat(attr(fetch, "entities.batch.size")).isEqualTo(name.equals("reviews") ? "3" : "0");
      // W3C traceparent forwarded: same trace, parent = the HTTP client span under this fetch
      assertThat(subgraph.traceparents).hasSize(1);
      String[] tp = subgraph.traceparents.get(0).split("-");
      assertThat(tp[1]).isEqualTo(CLIENT_TRACE);
      assertThat(tp[3]).isEqualTo("01");
      SpanData client = byId(tp[2]);
      assertThat(client.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.CLIENT);
      assertThat(client.getParentSpanId()).isEqualTo(fetch.getSpanId());
    }
  }

  @Test
  void operationMetricsPerBoundedNameTypeAndOutcome() {
    long fetchesBefore = GatewayTests.fetches(meters, "accounts", "ok");
    // the cap is 5 names: the other tests' three, Second, Third (whichever test runs first);
    // Fourth is "other"
    for (String name : List.of("TopUsers", "Ranks", "Slow", "Second", "Third", "Fourth")) {
      post("query " + name + " { users(first: 1) { name } }");
    }
    post("{ users(first: 1) { name } }");
    post("query Second { secretive }");

    assertThat(GatewayTests.operations(meters, "Second", "ok")).isEqualTo(1);
    assertThat(GatewayTests.operations(meters, "Third", "ok")).isEqualTo(1);
    assertThat(GatewayTests.operations(meters, "Fourth", "ok")).isZero();
    assertThat(GatewayTests.operations(meters, OperationNames.OTHER, "ok")).isEqualTo(1);
    assertThat(GatewayTests.operations(meters, OperationNames.ANONYMOUS, "ok")).isEqualTo(1);
    assertThat(GatewayTests.operations(meters, "Second", "errors")).isEqualTo(1);
    // the FORBIDDEN the subgraph answered, counted under its subgraph and code
    assertThat(
            meters
                .get(GatewayTelemetry.ERRORS)
                .tags("subgraph", "accounts", "code", "FORBIDDEN")
                .counter()
                .count())
        .isEqualTo(1.0);
    // the latency histogram has the configured buckets (12 for fetches)
    // one root fetch per request that asked only for names; the secretive one ended in errors
    assertThat(GatewayTests.fetches(meters, "accounts", "ok") - fetchesBefore).isEqualTo(7);
    assertThat(GatewayTests.fetches(meters, "accounts", "errors")).isEqualTo(1);
    Timer fetches =
        meters.get(GatewayTelemetry.FETCH).tags("subgraph", "accounts", "outcome", "ok").timer();
    assertThat(fetches.takeSnapshot().histogramCounts()).hasSize(12);
  }

  @Test
  void aSubgraphDownIsCountedAsItsFetchOutcomeAndErrorCode() throws Exception {
    double before = unavailable();
    INVENTORY.stop();
    try {
      post("query Ranks { users(first: 2) { name rank } }");
    } finally {
      INVENTORY.restart();
    }
    assertThat(unavailable() - before).isEqualTo(1.0);
    assertThat(GatewayTests.fetches(meters, "inventory", "SUBGRAPH_UNAVAILABLE")).isEqualTo(1);
    assertThat(GatewayTests.operations(meters, "Ranks", "errors")).isEqualTo(1);
  }

  @Test
  void breakerStateAndBulkheadInFlightAreGauges() {
    assertThat(
            meters
                .get("resilience4j.circuitbreaker.state")
                .tags("name", "accounts", "state", "closed")
                .gauge()
                .value())
        .isEqualTo(1.0);
    double limit =
        meters
            .get("resilience4j.bulkhead.max.allowed.concurrent.calls")
            .tags("name", "accounts")
            .gauge()
            .value();
    assertThat(limit).isEqualTo(256.0);
    ACCOUNTS.delay(Duration.ofMillis(1500));
    CompletableFuture<Void> slow =
        CompletableFuture.runAsync(() -> post("query Slow { users(first: 1) { name } }"));
    try {
      // one call in flight: one permit of the bulkhead taken
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(available()).isEqualTo(limit - 1));
    } finally {
      ACCOUNTS.delay(Duration.ZERO);
    }
    slow.join();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(available()).isEqualTo(limit));
  }

  @Test
  void everyMetricTheDashboardChartsIsExportedAfterSomeTraffic() throws Exception {
    post("query TopUsers { users(first: 2) { name reviews { body } } }");
    post("query Second { secretive }"); // an error code, so the error counter exists
    var dashboard =
        new tools.jackson.databind.ObjectMapper()
            .readTree(java.nio.file.Path.of("../deploy/grafana/retain-gateway.json").toFile());
    java.util.Set<String> charted = new java.util.TreeSet<>();
    for (var panel : dashboard.get("panels")) {
      for (var target : panel.get("targets")) {
        charted.addAll(metricNames(target.get("expr").asString()));
      }
    }
    assertThat(charted)
        .contains(
            "gateway_operation_seconds_count",
            "gateway_operation_seconds_bucket",
            "gateway_subgraph_fetch_seconds_bucket",
            "gateway_subgraph_fetch_seconds_count",
            "gateway_subgraph_errors_total",
            "resilience4j_circuitbreaker_state",
            "resilience4j_bulkhead_available_concurrent_calls",
            "resilience4j_bulkhead_max_allowed_concurrent_calls");
    String scraped =
        http.get()
            .uri("/actuator/prometheus")
            .header("Authorization", "Bearer " + FederationGatewayTest.token("scraper", "ADMIN"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    java.util.Set<String> exported = new java.util.HashSet<>();
    for (String line : scraped.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) exported.add(line.split("[{ ]", 2)[0]);
    }
    assertThat(exported).as("metrics at /actuator/prometheus").containsAll(charted);
  }

  @Test
  void theDashboardCheckReadsMetricNamesOutOfPromQl() {
    assertThat(
            metricNames(
                "1 - max by (name) (a_total{job=~\"$job\", x=\"y(z)\"}) / ignoring (outcome)"
                    + " group_left sum without (le) (rate(b_seconds_bucket[$__rate_interval]))"
                    + " == 1"))
        .containsExactlyInAnyOrder("a_total", "b_seconds_bucket");
  }

  /**
   * The metric names in a PromQL expression: identifiers that are not functions, keywords or the
   * label names of {@code by}/{@code without}/{@code on}/{@code ignoring} lists, outside label
   * matchers, strings and range selectors.
   */
  static java.util.Set<String> metricNames(String expr) {
    String bare =
        expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^\\]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    java.util.Set<String> keywords =
        java.util.Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset");
    java.util.Set<String> names = new java.util.TreeSet<>();
    var m = java.util.regex.Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(bare);
    while (m.find()) {
      String token = m.group().replaceAll("[\\s(]", "");
      if (m.group(1) == null && !keywords.contains(token)) names.add(token);
    }
    return names;
  }

  private double available() {
    return meters
        .get("resilience4j.bulkhead.available.concurrent.calls")
        .tags("name", "accounts")
        .gauge()
        .value();
  }

  private double unavailable() {
    var c =
        meters
            .find(GatewayTelemetry.ERRORS)
            .tags("subgraph", "inventory", "code", "SUBGRAPH_UNAVAILABLE")
            .counter();
    return c == null ? 0 : c.count();
  }

  private void post(String query) {
    http.post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("query", query))
        .exchange()
        .expectStatus()
        .isOk();
  }

  private List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private SpanData only(String name) {
    List<SpanData> found = named(name);
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }

  private SpanData byId(String spanId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getSpanId().equals(spanId))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no span " + spanId + " in " + spans.getFinishedSpanItems()));
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }
}
