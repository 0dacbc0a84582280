package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.retain.gateway.observe.GatewayTelemetry;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Sampling at its local default (0): an unsampled request goes without observations (ADR 0016,
 * docs/benchmarks/gateway-cpu-2026-12-07.md) yet its subgraphs still receive its trace id, and it
 * counts in the same timer series as a request a client asked to sample ({@code traceparent} flag
 * {@code 01}, followed by the parent-based sampler), which still gets every span.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.opentelemetry.tracing.export.schedule-delay=20ms",
      "retain.gateway.deduplicate-inflight=false"
    })
@AutoConfigureWebTestClient
@org.junit.jupiter.api.extension.ExtendWith(
    org.springframework.boot.test.system.OutputCaptureExtension.class)
class UnsampledTelemetryTest {

  static final TestSubgraph ACCOUNTS = GatewayTests.accounts();
  static final TestSubgraph REVIEWS = GatewayTests.reviews();

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(r, Map.of("accounts", ACCOUNTS, "reviews", REVIEWS));
  }

  @AfterAll
  static void stop() {
    ACCOUNTS.close();
    REVIEWS.close();
  }

  @TestConfiguration
  static class Spans {
    @Bean
    InMemorySpanExporter inMemorySpans() {
      return InMemorySpanExporter.create();
    }

    /** The names of the observations started, to tell the spanless path from the observed one. */
    @Bean
    Started started() {
      return new Started();
    }
  }

  static final class Started
      implements io.micrometer.observation.ObservationHandler<
          io.micrometer.observation.Observation.Context> {
    final List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onStart(io.micrometer.observation.Observation.Context context) {
      names.add(context.getName());
    }

    @Override
    public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
      return true;
    }
  }

  static final List<String> GATEWAY_OBSERVATIONS =
      List.of(GatewayTelemetry.OPERATION, GatewayTelemetry.FETCH, "http.client.requests");

  @Autowired WebTestClient http;
  @Autowired GatewayState state;
  @Autowired InMemorySpanExporter spans;
  @Autowired MeterRegistry meters;
  @Autowired Started started;

  static final String QUERY = "query Reviewed { users(first: 2) { name reviews { body } } }";

  @BeforeEach
  void ready() {
    GatewayTests.awaitSupergraph(state);
    spans.reset();
    ACCOUNTS.traceparents.clear();
    REVIEWS.traceparents.clear();
    started.names.clear();
  }

  @Test
  void anUnsampledRequestSendsItsTraceIdOnWithoutSpansAndIsTimed() {
    long operations = GatewayTests.operations(meters, "Reviewed", "ok");
    long accounts = GatewayTests.fetches(meters, "accounts", "ok");
    long reviews = GatewayTests.fetches(meters, "reviews", "ok");

    post(QUERY, null).jsonPath("$.data.users[1].reviews[0].body").isEqualTo("about u2");

    // both subgraphs got the request's one trace id, unsampled (flag 00)
    assertThat(ACCOUNTS.traceparents).hasSize(1);
    assertThat(REVIEWS.traceparents).hasSize(1);
    String[] a = ACCOUNTS.traceparents.get(0).split("-");
    String[] r = REVIEWS.traceparents.get(0).split("-");
    assertThat(a[0]).isEqualTo("00");
    assertThat(a[1]).hasSize(32).isNotEqualTo("0".repeat(32)).isEqualTo(r[1]);
    assertThat(a[2]).hasSize(16);
    assertThat(a[3]).isEqualTo("00");
    assertThat(r[3]).isEqualTo("00");
    // the operation and each fetch are counted in the series a sampled request uses
    assertThat(GatewayTests.operations(meters, "Reviewed", "ok")).isEqualTo(operations + 1);
    assertThat(GatewayTests.fetches(meters, "accounts", "ok")).isEqualTo(accounts + 1);
    assertThat(GatewayTests.fetches(meters, "reviews", "ok")).isEqualTo(reviews + 1);
    assertThat(
            meters
                .get(GatewayTelemetry.FETCH)
                .tags("subgraph", "reviews", "outcome", "ok", "error", "none")
                .timer()
                .takeSnapshot()
                .histogramCounts())
        .hasSize(12); // the configured SLO buckets, as for observed fetches
    // no observation of the gateway's own (the server's http.server.requests remains)
    assertThat(started.names).doesNotContainAnyElementsOf(GATEWAY_OBSERVATIONS);
    assertThat(started.names).contains("http.server.requests");
    // nothing sampled, so nothing exported (not even the server span)
    await().during(Duration.ofMillis(300)).until(() -> spans.getFinishedSpanItems().isEmpty());
  }

  @Test
  void anUnsampledRequestsSubgraphErrorsAreCounted() {
    double before = forbidden();
    long errors = GatewayTests.operations(meters, "Secret", "errors");
    post("query Secret { secretive }", null);
    assertThat(forbidden()).isEqualTo(before + 1);
    assertThat(GatewayTests.operations(meters, "Secret", "errors")).isEqualTo(errors + 1);
    assertThat(GatewayTests.fetches(meters, "accounts", "errors")).isPositive();
  }

  @Test
  void aRequestTheClientSamplesGetsEverySpanAndCountsInTheSameSeries() {
    post(QUERY, null); // unsampled first: the series exists with the spanless path's tags
    assertThat(started.names).doesNotContainAnyElementsOf(GATEWAY_OBSERVATIONS);
    long operations = GatewayTests.operations(meters, "Reviewed", "ok");
    long reviews = GatewayTests.fetches(meters, "reviews", "ok");
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";

    post(QUERY, "00-" + trace + "-00f067aa0ba902b7-01");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(named(GatewayTelemetry.FETCH)).hasSize(2));
    assertThat(named(GatewayTelemetry.OPERATION)).hasSize(1);
    assertThat(started.names).containsAll(GATEWAY_OBSERVATIONS);
    assertThat(named("http post")).hasSize(2); // the HTTP client spans
    assertThat(spans.getFinishedSpanItems()).allMatch(s -> s.getTraceId().equals(trace));
    assertThat(REVIEWS.traceparents.get(REVIEWS.traceparents.size() - 1))
        .startsWith("00-" + trace + "-")
        .endsWith("-01");
    // one series for both paths (same tag keys as the observation's timer, error=none included)
    assertThat(GatewayTests.operations(meters, "Reviewed", "ok")).isEqualTo(operations + 1);
    assertThat(GatewayTests.fetches(meters, "reviews", "ok")).isEqualTo(reviews + 1);
    assertThat(meters.find(GatewayTelemetry.OPERATION).tag("operation.name", "Reviewed").timers())
        .hasSize(1)
        .allMatch(t -> "none".equals(t.getId().getTag("error")));
  }

  @Test
  void aFailedSubgraphCallIsLoggedWithItsRequestsTraceId(
      org.springframework.boot.test.system.CapturedOutput output) throws Exception {
    String sampled = "0af7651916cd43dd8448eb211c80319c";
    REVIEWS.stop();
    try {
      post(QUERY, null); // unsampled
      post(QUERY, "00-" + sampled + "-b7ad6b7169203331-01");
    } finally {
      REVIEWS.restart();
    }
    String unsampled = ACCOUNTS.traceparents.get(0).split("-")[1];
    List<String> warnings =
        output.getOut().lines().filter(l -> l.contains("subgraph reviews unavailable")).toList();
    assertThat(warnings).hasSize(2);
    // Reactor callbacks carry no trace id by themselves (limited propagation): the line does
    assertThat(warnings.get(0)).contains(unsampled);
    assertThat(warnings.get(1)).contains(sampled);
  }

  private WebTestClient.BodyContentSpec post(String query, String traceparent) {
    return http.post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .headers(
            h -> {
              if (traceparent != null) h.set("traceparent", traceparent);
            })
        .bodyValue(Map.of("query", query))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  private List<io.opentelemetry.sdk.trace.data.SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private double forbidden() {
    var c =
        meters
            .find(GatewayTelemetry.ERRORS)
            .tags("subgraph", "accounts", "code", "FORBIDDEN")
            .counter();
    return c == null ? 0 : c.count();
  }
}
