package io.retain.customer.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A subgraph's side of a trace: a request arriving with a sampled W3C traceparent (as the gateway
 * sends it) is recorded under that trace although the service samples none of its own (the local
 * default): server span (child of the gateway's span) → GraphQL operation → the root field's span
 * ({@code GraphQlTracing}) → the R2DBC statements it runs (on wherever spans are exported, under
 * the cancel guard). Spans go to an in-memory exporter.
 */
@TestPropertySource(
    properties = {
      "management.opentelemetry.tracing.export.schedule-delay=20ms",
      // exported spans turn them on; this test's exporter is in memory
      "retain.tracing.database-spans=true"
    })
class TracingTest extends CustomerApiTest {

  @TestConfiguration
  static class Spans {
    @Bean
    InMemorySpanExporter inMemorySpans() {
      return InMemorySpanExporter.create();
    }
  }

  @Autowired InMemorySpanExporter spans;

  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String GATEWAY_SPAN = "b7ad6b7169203331";

  @Test
  void aRequestFromTheGatewayContinuesItsTraceDownToTheStatements() {
    importWorkedExample();
    spans.reset();
    card(http, token(Role.ANALYST), "00-" + TRACE + "-" + GATEWAY_SPAN + "-01");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(statements()).isNotEmpty());
    List<SpanData> trace =
        spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(TRACE)).toList();
    SpanData server = server(trace);
    assertThat(server.getParentSpanId()).isEqualTo(GATEWAY_SPAN);
    SpanData request = named(trace, "graphql query");
    assertThat(request.getParentSpanId()).as(tree(trace)).isEqualTo(server.getSpanId());
    // the root field is where the I/O starts: a child of the operation, its statements under it
    SpanData fetcher = named(trace, "graphql field customer");
    assertThat(fetcher.getParentSpanId()).as(tree(trace)).isEqualTo(request.getSpanId());
    for (SpanData statement : statements()) {
      assertThat(statement.getTraceId()).isEqualTo(TRACE);
      assertThat(ancestors(trace, statement)).as(tree(trace)).contains(fetcher.getSpanId());
      assertThat(statement.getKind()).isEqualTo(SpanKind.CLIENT);
    }
  }

  /** The trace as "name <- parent name" lines, for a failure's message. */
  private static String tree(List<SpanData> trace) {
    StringBuilder out = new StringBuilder();
    for (SpanData s : trace) {
      String parent =
          trace.stream()
              .filter(p -> p.getSpanId().equals(s.getParentSpanId()))
              .map(SpanData::getName)
              .findFirst()
              .orElse(s.getParentSpanId());
      out.append('\n').append(s.getName()).append(" <- ").append(parent);
    }
    return out.toString();
  }

  private List<SpanData> statements() {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(TRACE) && s.getName().startsWith("query"))
        .toList();
  }

  /** C001's card as the gateway would ask for it, with {@code traceparent}. */
  static void card(WebTestClient http, String token, String traceparent) {
    http.post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + token)
        .header("traceparent", traceparent)
        .bodyValue(Map.of("query", "query Card { customer(id: \"C001\") { id name } }"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.data.customer.id")
        .isEqualTo("C001");
  }

  /** The trace's server span (the request as the subgraph received it). */
  static SpanData server(List<SpanData> trace) {
    return trace.stream()
        .filter(s -> s.getKind() == SpanKind.SERVER)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no server span in " + trace));
  }

  static SpanData named(List<SpanData> trace, String name) {
    return trace.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no span " + name + " in " + trace.stream().map(SpanData::getName).toList()));
  }

  private static List<String> ancestors(List<SpanData> trace, SpanData span) {
    java.util.List<String> out = new java.util.ArrayList<>();
    String parent = span.getParentSpanId();
    while (true) {
      String id = parent;
      SpanData p = trace.stream().filter(s -> s.getSpanId().equals(id)).findFirst().orElse(null);
      if (p == null) return out;
      out.add(p.getSpanId());
      parent = p.getParentSpanId();
    }
  }
}
