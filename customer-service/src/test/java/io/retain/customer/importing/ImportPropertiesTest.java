package io.retain.customer.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerServiceApplication;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.TestDatabase;
import io.retain.testpg.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Random and hostile files (CSV and NDJSON, every entity) through {@code POST /import/{entity}}
 * against PostgreSQL: never a 5xx; rows in = accepted + quarantined; the table gains exactly the
 * distinct ids of the accepted rows; a refused file (4xx) changes nothing. jqwik prints its seed
 * after each property; re-run one with {@code @Property(seed = "…")}.
 */
class ImportPropertiesTest {

  static ConfigurableApplicationContext app;
  static WebTestClient http;
  static DatabaseClient db;
  static String token;
  static final AtomicInteger tries = new AtomicInteger();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeContainer
  static void start() {
    TestDatabase d = TestPostgres.createDatabase(ImportPropertiesTest.class.getSimpleName());
    List<String> args = new ArrayList<>();
    d.springProperties().forEach((k, v) -> args.add("--" + k + "=" + v));
    args.add("--server.port=0");
    app =
        new SpringApplicationBuilder(CustomerServiceApplication.class)
            .profiles("test")
            .run(args.toArray(String[]::new));
    http =
        WebTestClient.bindToServer()
            .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
            .responseTimeout(Duration.ofSeconds(60))
            .codecs(c -> c.defaultCodecs().maxInMemorySize(4 << 20))
            .build();
    db = app.getBean(DatabaseClient.class);
    token =
        Tokens.hs256(
            app.getEnvironment().getProperty("retain.security.jwt-secret"),
            "test-steward",
            Duration.ofHours(1),
            Role.DATA_STEWARD);
    post("customers", "text/csv", customers("PC1", "PC2").getBytes(StandardCharsets.UTF_8));
  }

  @AfterContainer
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  /** One generated line: its text (or bytes), and the id it carries when that id is clean. */
  record Line(byte[] bytes, String cleanId) {}

  /** A file: entity, format, whether the header repeats a column, and its lines. */
  record File(
      ImportEntity entity, ImportService.Format format, boolean dupHeader, List<Spec> rows) {}

  /** A row before it is written: which id, which customer, and an optional hostile field. */
  record Spec(int id, String customer, int field, String hostile, int kind, byte[] random) {}

  static final List<String> HOSTILE =
      List.of(
          "",
          "1e400000000",
          "1e20",
          "1e9999",
          "12.345",
          "-1",
          "NaN",
          "1000000000.00",
          "1000000000.01",
          "0",
          "W\0EB",
          "x".repeat(70),
          "y".repeat(64),
          "EURO",
          "2100-01-01",
          "0000-01-01T00:00:00Z",
          "1899-12-31",
          "\"",
          "a\"b",
          "\"q,uoted\"",
          ",",
          "\uD83D\uDE00".repeat(20),
          "s".repeat(600),
          "true",
          "maybe",
          "11",
          "2026-13-45");

  static final List<String> RAW_JSON =
      List.of(
          "{\"a\":1}", "[1,2]", "1e400000000", "123456789012345678901234567890", "true", "null");

  @Provide
  Arbitrary<File> files() {
    Arbitrary<Spec> spec =
        Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.of("PC1", "PC2", "NOPE", " pc1 "),
                Arbitraries.integers().between(-1, 13),
                Arbitraries.of(HOSTILE),
                // 0 plain, 1-2 hostile value (2: raw JSON for NDJSON), 3 random bytes, 4 long line
                Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(5, Arbitraries.just(0)),
                    net.jqwik.api.Tuple.of(5, Arbitraries.just(1)),
                    net.jqwik.api.Tuple.of(2, Arbitraries.just(2)),
                    net.jqwik.api.Tuple.of(1, Arbitraries.just(3)),
                    net.jqwik.api.Tuple.of(1, Arbitraries.just(4))),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(60))
            .as(Spec::new);
    return Combinators.combine(
            Arbitraries.of(ImportEntity.class),
            Arbitraries.of(ImportService.Format.class),
            Arbitraries.integers().between(0, 19).map(i -> i == 0),
            spec.list().ofMaxSize(25))
        .as(File::new);
  }

  @Property(tries = 40)
  void anyFileKeepsTheImportInvariants(@ForAll("files") File file) {
    String prefix = "P" + tries.incrementAndGet() + "-";
    ImportEntity entity = file.entity();
    boolean churn = entity == ImportEntity.CHURN;
    if (churn) {
      // a churn record's key is its customer: this try's own customers
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ids.add(prefix + i);
      }
      post("customers", "text/csv", customers(ids.toArray(String[]::new)).getBytes());
    }
    boolean csv = file.format() == ImportService.Format.CSV;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<Line> lines = new ArrayList<>();
    if (csv) {
      List<String> names = entity.fields.stream().map(Field::name).toList();
      String header = String.join(",", names) + (file.dupHeader() ? "," + names.get(0) : "");
      body.writeBytes((header + "\n").getBytes(StandardCharsets.UTF_8));
    }
    for (Spec s : file.rows()) {
      Line line = line(entity, csv, prefix, s);
      lines.add(line);
      body.writeBytes(line.bytes());
      body.write('\n');
    }
    String table = entity.table;
    String key = churn ? "customer_id" : "id";
    long before = count(table, key, prefix);
    long batches = scalar("select count(*) from import_batch");

    EntityExchangeResult<byte[]> res =
        post(entity.path, csv ? "text/csv" : "application/x-ndjson", body.toByteArray());
    int status = res.getStatus().value();
    Statistics.label("file").collect(entity.path, file.format());
    assertThat(status).as("never a 5xx: %s", text(res)).isLessThan(500);
    long after = count(table, key, prefix);
    if (status != 200) {
      Statistics.label("outcome")
          .collect("400 " + text(res).replaceAll(".*\"code\":\"(\\w+)\".*", "$1"));
      assertThat(status).isEqualTo(400);
      assertThat(after).as("a refused file changes nothing").isEqualTo(before);
      assertThat(scalar("select count(*) from import_batch")).isEqualTo(batches);
      return;
    }
    JsonNode r = json.readTree(res.getResponseBody());
    Statistics.label("outcome")
        .collect(
            r.get("quarantined").asLong() == 0
                ? "all accepted"
                : r.get("accepted").asLong() == 0 ? "all quarantined" : "mixed");
    long rowsIn = r.get("rowsIn").asLong();
    assertThat(rowsIn).isEqualTo(r.get("accepted").asLong() + r.get("quarantined").asLong());
    assertThat(rowsIn).isEqualTo(lines.size());
    Set<Long> refused = new HashSet<>();
    r.get("errors").forEach(e -> refused.add(e.get("row").asLong()));
    assertThat((long) refused.size()).isEqualTo(r.get("quarantined").asLong());
    Set<String> acceptedIds = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      long row = i + 1 + (csv ? 1 : 0);
      if (!refused.contains(row) && lines.get(i).cleanId() != null) {
        acceptedIds.add(lines.get(i).cleanId());
      }
    }
    assertThat(after - before)
        .as("the table gains the accepted distinct ids %s", acceptedIds)
        .isEqualTo(acceptedIds.size());
  }

  /** A row of the entity, written as CSV or NDJSON, with its hostile part if any. */
  static Line line(ImportEntity entity, boolean csv, String prefix, Spec s) {
    if (s.kind() == 3) {
      byte[] b = s.random().clone();
      for (int i = 0; i < b.length; i++) {
        if (b[i] == '\n' || b[i] == '\r') {
          b[i] = ' ';
        }
      }
      byte[] out = new byte[b.length + 1];
      out[0] = 'R';
      System.arraycopy(b, 0, out, 1, b.length);
      return new Line(out, null);
    }
    boolean churn = entity == ImportEntity.CHURN;
    String id = prefix + s.id();
    Map<String, String> v = new LinkedHashMap<>(good(entity, id, s.customer()));
    int field = s.field() < 0 ? -1 : s.field() % entity.fields.size();
    boolean hostile = s.kind() == 1 || s.kind() == 2;
    String idField = churn ? "customerId" : "id";
    boolean idHostile = hostile && field >= 0 && entity.fields.get(field).name().equals(idField);
    if (s.kind() == 4) {
      v.put(entity.fields.get(entity.fields.size() - 1).name(), "z".repeat(70_000));
    }
    String rawJson = null;
    if (hostile && field >= 0) {
      String name = entity.fields.get(field).name();
      if (s.kind() == 2 && !csv) {
        rawJson = name;
        v.put(name, RAW_JSON.get(Math.floorMod(s.hostile().hashCode(), RAW_JSON.size())));
      } else {
        v.put(name, s.hostile());
      }
    }
    String text;
    if (csv) {
      List<String> cells = new ArrayList<>();
      for (Field f : entity.fields) {
        cells.add(v.getOrDefault(f.name(), ""));
      }
      text = String.join(",", cells);
    } else {
      StringBuilder sb = new StringBuilder("{");
      for (var e : v.entrySet()) {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append(json.writeValueAsString(e.getKey())).append(':');
        sb.append(
            e.getKey().equals(rawJson) ? e.getValue() : json.writeValueAsString(e.getValue()));
      }
      text = sb.append('}').toString();
    }
    // a churn row's key is its customer: clean when the customer is this try's
    String clean = idHostile ? null : id;
    return new Line(text.getBytes(StandardCharsets.UTF_8), clean);
  }

  static Map<String, String> good(ImportEntity entity, String id, String customer) {
    return switch (entity) {
      case CUSTOMERS ->
          Map.of(
              "id",
              id,
              "name",
              "N " + id,
              "kind",
              "INDIVIDUAL",
              "industry",
              "RETAIL",
              "valueTier",
              "SMALL",
              "since",
              "2024-01-01");
      case ORDERS ->
          Map.of(
              "id",
              id,
              "customerId",
              customer,
              "placedAt",
              "2026-01-01T00:00:00Z",
              "amount",
              "1.5",
              "currency",
              "CNY");
      case TICKETS ->
          Map.of(
              "id",
              id,
              "customerId",
              customer,
              "openedAt",
              "2026-01-02T00:00:00Z",
              "resolvedAt",
              "2026-01-03T00:00:00Z",
              "severity",
              "LOW");
      case SURVEYS ->
          Map.of("id", id, "customerId", customer, "answeredAt", "2026-02-01", "score", "7");
      case CHURN ->
          Map.of(
              "customerId",
              id,
              "churnedAt",
              "2026-03-01",
              "type",
              "VOLUNTARY",
              "causeClass",
              "OTHER",
              "reasons",
              "PRICE_TOO_HIGH");
    };
  }

  static String customers(String... ids) {
    StringBuilder sb = new StringBuilder("id,name,kind,industry,valueTier,since\n");
    for (String id : ids) {
      sb.append(id).append(",Name,INDIVIDUAL,RETAIL,SMALL,2024-01-01\n");
    }
    return sb.toString();
  }

  static EntityExchangeResult<byte[]> post(String entity, String type, byte[] body) {
    return http.post()
        .uri("/import/" + entity)
        .header("Authorization", "Bearer " + token)
        .contentType(MediaType.parseMediaType(type))
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  static String text(EntityExchangeResult<byte[]> res) {
    byte[] b = res.getResponseBody();
    return b == null ? "" : new String(b, StandardCharsets.UTF_8);
  }

  static long count(String table, String key, String prefix) {
    return scalar("select count(*) from " + table + " where " + key + " like '" + prefix + "%'");
  }

  static long scalar(String sql) {
    return db.sql(sql).map((r, m) -> ((Number) r.get(0)).longValue()).one().block();
  }
}
