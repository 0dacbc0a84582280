package io.retain.customer.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.retain.customer.CustomerApiTest;
import io.retain.support.observe.GraphQlTracing;
import io.retain.support.security.Role;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

/**
 * A subgraph where no spans leave the process (no OTLP endpoint, so no statement spans): Reactor
 * restores no thread-locals ({@code limited}), and the GraphQL spans are started only for sampled
 * requests. A sampled request still gets its trace (server → operation → root field); an unsampled
 * one (the gateway's {@code traceparent} with flag {@code 00}) starts no GraphQL observation at
 * all.
 */
@TestPropertySource(properties = "management.opentelemetry.tracing.export.schedule-delay=20ms")
class UnsampledTracingTest extends CustomerApiTest {

  @TestConfiguration
  static class Recorded {
    @Bean
    InMemorySpanExporter inMemorySpans() {
      return InMemorySpanExporter.create();
    }

    /** The names of the observations started, in order. */
    @Bean
    StartedObservations startedObservations() {
      return new StartedObservations();
    }
  }

  static class StartedObservations implements ObservationHandler<Observation.Context> {
    final Queue<String> names = new ConcurrentLinkedQueue<>();

    @Override
    public void onStart(Observation.Context context) {
      names.add(context.getName());
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  @Autowired InMemorySpanExporter spans;
  @Autowired StartedObservations started;
  @Autowired Environment env;

  static final String GATEWAY_SPAN = "b7ad6b7169203331";

  @Test
  void noThreadLocalsAreRestoredWhereNoStatementSpansAreMade() {
    assertThat(env.getProperty("spring.reactor.context-propagation")).isEqualTo("limited");
  }

  @Test
  void anUnsampledRequestStartsNoGraphQlObservation() {
    importWorkedExample();
    started.names.clear();
    TracingTest.card(
        http, token(Role.ANALYST), "00-4bf92f3577b34da6a3ce929d0e0e4736-" + GATEWAY_SPAN + "-00");
    // the server observation was started (its timer is the request metric), nothing under it
    assertThat(started.names).contains("http.server.requests");
    assertThat(started.names).doesNotContain(GraphQlTracing.OPERATION, GraphQlTracing.FIELD);
  }

  @Test
  void aMalformedOrHugeTraceparentIsIgnoredAndTheRequestAnswered() {
    importWorkedExample();
    for (String bad : List.of("00-zz-not-a-trace-01", "00-" + "f".repeat(4000) + "-01")) {
      started.names.clear();
      // answered as if it came without one: a new root, unsampled here (sampling 0)
      TracingTest.card(http, token(Role.ANALYST), bad);
      assertThat(started.names).contains("http.server.requests");
      assertThat(started.names).doesNotContain(GraphQlTracing.OPERATION, GraphQlTracing.FIELD);
    }
  }

  @Test
  void aSampledRequestKeepsItsGraphQlSpansUnderTheServerSpan() {
    importWorkedExample();
    String trace = "0af7651916cd43dd8448eb211c80319d";
    spans.reset();
    started.names.clear();
    TracingTest.card(http, token(Role.ANALYST), "00-" + trace + "-" + GATEWAY_SPAN + "-01");
    assertThat(started.names).contains(GraphQlTracing.OPERATION, GraphQlTracing.FIELD);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(names(trace)).contains("graphql field customer"));
    List<SpanData> spansOfTrace = ofTrace(trace);
    SpanData server = TracingTest.server(spansOfTrace);
    assertThat(server.getParentSpanId()).isEqualTo(GATEWAY_SPAN);
    SpanData operation = TracingTest.named(spansOfTrace, "graphql query");
    assertThat(operation.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(TracingTest.named(spansOfTrace, "graphql field customer").getParentSpanId())
        .isEqualTo(operation.getSpanId());
  }

  private List<SpanData> ofTrace(String trace) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace)).toList();
  }

  private List<String> names(String trace) {
    return ofTrace(trace).stream().map(SpanData::getName).toList();
  }
}
