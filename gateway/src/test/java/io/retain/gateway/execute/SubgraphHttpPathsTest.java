package io.retain.gateway.execute;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.retain.gateway.observe.GatewayTelemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Both subgraph HTTP paths ({@link SubgraphClient.Http}: Reactor Netty direct, ADR 0021, and the
 * previous WebClient one) answer every kind of subgraph reply the same way: the body sent, the
 * parsed answer, a 5xx and a refused connection as SUBGRAPH_UNAVAILABLE with their reason, a 4xx
 * that is no JSON as "HTTP 4xx", and an answer over the size limit, announced by Content-Length or
 * streamed in chunks, as SUBGRAPH_RESPONSE_TOO_LARGE without a breaker failure.
 */
class SubgraphHttpPathsTest {

  static final int LIMIT = 64 * 1024;

  HttpServer server;
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  CircuitBreakerRegistry breakers;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    reply("/ok", 200, "{\"data\":{\"n\":1,\"xs\":[\"a\",null],\"f\":1.5}}", false);
    reply("/empty", 200, "", false);
    reply("/503", 503, "overloaded", false);
    reply("/404", 404, "<html>not here</html>", false);
    reply("/400json", 400, "{\"errors\":[{\"message\":\"bad\"}]}", false);
    String big = "{\"data\":{\"s\":\"" + "x".repeat(LIMIT) + "\"}}";
    reply("/big-length", 200, big, false);
    reply("/big-chunked", 200, big, true);
    server.start();
    breakers = CircuitBreakerRegistry.ofDefaults();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void reply(String path, int status, String body, boolean chunked) {
    server.createContext(
        path,
        ex -> {
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(status, chunked ? 0 : bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < bytes.length; i += 8192) {
              out.write(bytes, i, Math.min(8192, bytes.length - i));
              out.flush();
            }
          }
        });
  }

  private SubgraphClient client(SubgraphClient.Http http, String url) {
    return new SubgraphClient(
        "sub",
        url,
        WebClient.builder(),
        new SubgraphGuards(
            breakers,
            BulkheadRegistry.ofDefaults(),
            TimeLimiterRegistry.of(
                TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(10)).build())),
        false,
        LIMIT,
        GatewayTelemetry.NONE,
        http);
  }

  private Map<String, Object> ask(SubgraphClient.Http http, String path) throws Exception {
    return client(http, "http://127.0.0.1:" + server.getAddress().getPort() + path)
        .execute("query Q($id: ID) { n }", Map.of("id", "c-1"), "Bearer t")
        .get(10, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> extensions(Map<String, Object> answer) {
    List<Map<String, Object>> errors = (List<Map<String, Object>>) answer.get("errors");
    assertThat(errors).hasSize(1);
    return (Map<String, Object>) errors.get(0).get("extensions");
  }

  @ParameterizedTest
  @EnumSource(SubgraphClient.Http.class)
  void anAnswerIsParsedAndTheRequestCarriesQueryVariablesAndToken(SubgraphClient.Http http)
      throws Exception {
    assertThat(ask(http, "/ok"))
        .isEqualTo(
            Map.of("data", Map.of("n", 1, "xs", java.util.Arrays.asList("a", null), "f", 1.5)));
    assertThat(new tools.jackson.databind.json.JsonMapper().readValue(bodies.get(0), Map.class))
        .isEqualTo(Map.of("query", "query Q($id: ID) { n }", "variables", Map.of("id", "c-1")));
    assertThat(authorizations).containsExactly("Bearer t");
  }

  @ParameterizedTest
  @EnumSource(SubgraphClient.Http.class)
  void anEmptyBodyIsAnEmptyAnswer(SubgraphClient.Http http) throws Exception {
    assertThat(ask(http, "/empty")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SubgraphClient.Http.class)
  void aServerErrorIsUnavailableAndABreakerFailure(SubgraphClient.Http http) throws Exception {
    assertThat(extensions(ask(http, "/503")))
        .isEqualTo(Map.of("code", "SUBGRAPH_UNAVAILABLE", "subgraph", "sub", "reason", "HTTP 503"));
    assertThat(breakers.circuitBreaker("sub").getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(SubgraphClient.Http.class)
  void aClientErrorThatIsNoJsonIsThatRequestsError(SubgraphClient.Http http) throws Exception {
    assertThat(extensions(ask(http, "/404")))
        .isEqualTo(Map.of("code", "SUBGRAPH_UNAVAILABLE", "subgraph", "sub", "reason", "HTTP 404"));
    // a 4xx carrying a GraphQL response is passed on as it is
    assertThat(ask(http, "/400json"))
        .isEqualTo(Map.of("errors", List.of(Map.of("message", "bad"))));
    assertThat(breakers.circuitBreaker("sub").getMetrics().getNumberOfFailedCalls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(SubgraphClient.Http.class)
  void anAnswerOverTheLimitIsTooLargeWhetherAnnouncedOrStreamed(SubgraphClient.Http http)
      throws Exception {
    for (String path : List.of("/big-length", "/big-chunked")) {
      assertThat(extensions(ask(http, path)))
          .as(path)
          .isEqualTo(
              Map.of("code", "SUBGRAPH_RESPONSE_TOO_LARGE", "subgraph", "sub", "limit", LIMIT));
    }
    CircuitBreaker breaker = breakers.circuitBreaker("sub");
    assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
    // the connection a too-large answer was cut on is not reused: the next call is answered
    assertThat(ask(http, "/ok")).containsKey("data");
  }

  @ParameterizedTest
  @EnumSource(SubgraphClient.Http.class)
  void aRefusedConnectionIsUnavailableWithItsReason(SubgraphClient.Http http) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Map<String, Object> answer =
        client(http, "http://127.0.0.1:" + closed + "/graphql")
            .execute("{ n }", null, null)
            .get(10, TimeUnit.SECONDS);
    assertThat(extensions(answer))
        .isEqualTo(
            Map.of(
                "code", "SUBGRAPH_UNAVAILABLE", "subgraph", "sub", "reason", "connection refused"));
  }
}
