package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.retain.scoring.GraphQlHttp;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * customer-service goes down while the change-feed poller runs (a real HTTP stub answering 503):
 * stored scores keep being served with their computedAt, the cursor stays where it was, and when
 * customer-service returns the poller resumes from the cursor and scores every change it missed.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "retain.scoring.change-feed.enabled=true",
      "retain.scoring.change-feed.interval=200ms",
      "resilience4j.circuitbreaker.instances.customer.wait-duration-in-open-state=500ms"
    })
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class CustomerServiceOutageTest {

  static final Stub STUB = Stub.start();

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.customer.url", STUB::url);
  }

  @AfterAll
  static void stopStub() {
    STUB.server.stop(0);
  }

  /** "Today" for the poller is the worked example's date, so its scores are the example's. */
  @TestConfiguration
  static class WorkedExampleDay {
    @Bean
    @Primary
    Clock workedExampleClock() {
      Instant day = Instant.parse("2026-06-30T06:00:00Z");
      return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), day));
    }
  }

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  Long cursor() {
    return db.sql("select position from feed_cursor where name = 'customer-activity'")
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .block();
  }

  long stored() {
    return db.sql("select count(*) from assessment_latest")
        .map((r, m) -> ((Number) r.get(0)).longValue())
        .one()
        .block();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  WebTestClient.BodyContentSpec loyalty(String... ids) {
    StringBuilder reps = new StringBuilder();
    for (String id : ids) {
      reps.append("{__typename: \"Customer\", id: \"").append(id).append("\"}, ");
    }
    return GraphQlHttp.post(
        http,
        secret,
        Role.ANALYST,
        "{ _entities(representations: ["
            + reps
            + "]) { ... on Customer { id loyalty { score tier asOf computedAt } } } }",
        "en");
  }

  String computedAt(String id) {
    String[] out = new String[1];
    loyalty(id).jsonPath("$.data._entities[0].loyalty.computedAt").value(v -> out[0] = (String) v);
    return out[0];
  }

  @Test
  void storedScoresAreServedDuringTheOutageAndTheFeedResumesFromItsCursor() throws Exception {
    STUB.change("C001");
    STUB.change("C002");
    STUB.change("C003");
    await("the first three changes are scored", () -> Long.valueOf(3).equals(cursor()));
    assertThat(stored()).isEqualTo(3);
    String c001Before = computedAt("C001");

    STUB.down.set(true);
    int refusedBefore = STUB.refused.get();
    STUB.change("C004");
    STUB.change("C005");
    STUB.change("C006");
    STUB.change("C001");
    // the poller keeps trying (until the breaker opens) and every try fails
    await("the poller has been refused 3 times", () -> STUB.refused.get() >= refusedBefore + 3);
    assertThat(cursor()).isEqualTo(3);
    assertThat(stored()).isEqualTo(3);
    loyalty("C001", "C004")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(88.8)
        .jsonPath("$.data._entities[0].loyalty.tier")
        .isEqualTo("STABLE")
        .jsonPath("$.data._entities[0].loyalty.asOf")
        .isEqualTo("2026-06-30")
        .jsonPath("$.data._entities[0].loyalty.computedAt")
        .isEqualTo(c001Before)
        .jsonPath("$.data._entities[1].loyalty")
        .doesNotExist();

    STUB.down.set(false);
    await("the missed changes are scored", () -> Long.valueOf(7).equals(cursor()));
    assertThat(stored()).isEqualTo(6);
    loyalty("C001", "C004", "C005", "C006")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(88.8)
        .jsonPath("$.data._entities[0].loyalty.computedAt")
        .value(v -> assertThat(Instant.parse((String) v)).isAfter(Instant.parse(c001Before)))
        .jsonPath("$.data._entities[1].loyalty.tier")
        .isEqualTo("NEW")
        .jsonPath("$.data._entities[2].loyalty.score")
        .isEqualTo(52.9)
        .jsonPath("$.data._entities[3].loyalty.tier")
        .isEqualTo("DIEHARD");
    // each customer's activity was asked for after its change: nothing lost, no double counting
    assertThat(
            db.sql("select count(*) from assessment_history")
                .map((r, m) -> ((Number) r.get(0)).longValue())
                .one()
                .block())
        .isEqualTo(6);
  }

  /**
   * customer-service's activityChanges and customerActivity, answered from the worked example's
   * aggregates; {@code down} makes it answer 503.
   */
  static final class Stub {
    final HttpServer server;
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger refused = new AtomicInteger();
    final List<String> changes = new CopyOnWriteArrayList<>();
    final Map<String, JsonNode> activity = new LinkedHashMap<>();
    final ObjectMapper json = new ObjectMapper();

    private Stub(HttpServer server) {
      this.server = server;
    }

    static Stub start() {
      try {
        Stub stub = new Stub(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        try (InputStream in =
            Stub.class.getResourceAsStream("/fixtures/worked-example.activity.json")) {
          stub.json
              .readTree(in)
              .get("activity")
              .forEach(a -> stub.activity.put(a.get("customerId").asString(), a));
        }
        stub.server.createContext("/graphql", stub::handle);
        stub.server.start();
        return stub;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void change(String customerId) {
      changes.add(customerId);
    }

    void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
      int status = 200;
      byte[] out;
      if (down.get()) {
        refused.incrementAndGet();
        status = 503;
        out = "{}".getBytes(StandardCharsets.UTF_8);
      } else {
        JsonNode req = json.readTree(exchange.getRequestBody());
        JsonNode vars = req.path("variables");
        Object data;
        if (req.path("query").asString().contains("activityChanges")) {
          long after = vars.path("a").asLong();
          int limit = vars.path("l").asInt();
          List<Map<String, Object>> page = new java.util.ArrayList<>();
          for (int i = (int) after; i < changes.size() && page.size() < limit; i++) {
            page.add(Map.of("seq", i + 1, "customerId", changes.get(i)));
          }
          data = Map.of("activityChanges", page);
        } else {
          data =
              Map.of(
                  "customerActivity",
                  vars.path("ids").valueStream().map(id -> activity.get(id.asString())).toList());
        }
        out = json.writeValueAsBytes(Map.of("data", data));
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    }
  }
}
