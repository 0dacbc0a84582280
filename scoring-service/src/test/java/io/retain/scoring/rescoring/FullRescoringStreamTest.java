package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * rescoreAll reads customer-service's bulk NDJSON form (here a stub that sends it in small chunks,
 * so that lines span network reads) and stores exactly what scoring the same aggregates by ids
 * stores.
 */
@PostgresTest
@SpringBootTest
@ActiveProfiles("test")
class FullRescoringStreamTest {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");
  // the array lines the stub sends
  static final List<String> LINES = new ArrayList<>();
  static final HttpServer STUB = stub();
  // the stub answers as a customer-service older than shape=array: objects, the parameter ignored
  static final AtomicBoolean OLDER = new AtomicBoolean();

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add(
        "retain.remote.customer.url", () -> "http://127.0.0.1:" + STUB.getAddress().getPort());
  }

  @AfterAll
  static void stopStub() {
    STUB.stop(0);
  }

  /**
   * The worked example's aggregates as NDJSON of arrays (shape=array: each object's values in its
   * fields' order, which is the contract's), or as objects while OLDER is set, written 97 bytes at
   * a time; a request without shape=array is refused.
   */
  static HttpServer stub() {
    try {
      ObjectMapper json = new ObjectMapper();
      StringBuilder ndjson = new StringBuilder();
      StringBuilder objects = new StringBuilder();
      for (var a : StoredScoresTest.workedExample()) {
        ArrayNode values = json.createArrayNode();
        json.valueToTree(a).values().forEach(values::add);
        // spaced as scoring would not write them: stored as sent, not written again
        String line = json.writeValueAsString(values).replace(",", ", ");
        LINES.add(line);
        ndjson.append(line).append('\n');
        objects.append(json.writeValueAsString(a)).append('\n');
      }
      byte[] arrays = ndjson.toString().getBytes(StandardCharsets.UTF_8);
      byte[] older = objects.toString().getBytes(StandardCharsets.UTF_8);
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/internal/activity",
          exchange -> {
            if (!exchange.getRequestURI().getQuery().contains("shape=array")) {
              exchange.sendResponseHeaders(400, -1);
              return;
            }
            byte[] body = OLDER.get() ? older : arrays;
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = exchange.getResponseBody()) {
              for (int i = 0; i < body.length; i += 97) {
                out.write(body, i, Math.min(97, body.length - i));
                out.flush();
              }
            }
          });
      server.start();
      return server;
    } catch (Exception e) {
      throw e instanceof IOException io
          ? new UncheckedIOException(io)
          : new IllegalStateException(e);
    }
  }

  /** A stored row as scoring by ids stored it, with its inputs spaced as the stub's lines are. */
  static String spaced(String row) {
    int from = row.indexOf(" [");
    int to = row.lastIndexOf("] ") + 1;
    return row.substring(0, from + 1)
        + row.substring(from + 1, to).replace(",", ", ")
        + row.substring(to);
  }

  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;

  List<String> stored() {
    return db.sql(
            "select l.customer_id || ' ' || l.score || ' ' || l.tier || ' ' || l.risk_codes::text"
                + " || ' ' || h.inputs::text || ' ' || coalesce(h.prior_score::text, '-') as r"
                + " from assessment_latest l"
                + " join assessment_history h using (customer_id, as_of) order by 1")
        .map((r, m) -> r.get("r", String.class))
        .all()
        .collectList()
        .block();
  }

  @Test
  void streamedAggregatesAreStoredAsScoringThemByIdsStoresThem() throws Exception {
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
    rescoring.store(StoredScoresTest.workedExample(), AS_OF, null).block();
    List<String> byIds = stored();
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();

    assertThat(rescoring.rescoreAll(AS_OF).block()).isEqualTo(6);

    assertThat(byIds).hasSize(6).anySatisfy(r -> assertThat(r).startsWith("C001 88.8 STABLE"));
    assertThat(stored()).isEqualTo(byIds.stream().map(FullRescoringStreamTest::spaced).toList());
    // each history row's inputs are the line as streamed
    assertThat(
            db.sql("select inputs::text as i from assessment_history")
                .map((r, m) -> r.get("i", String.class))
                .all()
                .collectList()
                .block())
        .containsExactlyInAnyOrderElementsOf(LINES);

    // from a customer-service that still streams objects, the same
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
    OLDER.set(true);
    try {
      assertThat(rescoring.rescoreAll(AS_OF).block()).isEqualTo(6);
    } finally {
      OLDER.set(false);
    }
    assertThat(stored()).isEqualTo(byIds);
  }
}
