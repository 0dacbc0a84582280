package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.GraphQlHttp;
import io.retain.support.graphql.Cursors;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * customersByChurnRisk's keyset paging over HTTP on a real PostgreSQL, predictions written directly
 * (no training): a population with ties in both sort keys, unknown CLVs, ids that differ only in
 * case or hold a colon, rows under the filter and rows of an inactive model. Paging sees every
 * listed customer exactly once in the documented order; predictions changed between two pages do
 * not make the customers not changed repeat or go missing; a bad cursor is BAD_USER_INPUT on after.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class ChurnRiskPagingTest {

  static final double MIN = 0.2;
  static final String PAGE =
      """
      query($min: Float!, $sort: ChurnRiskSort, $first: Int, $after: String) {
        customersByChurnRisk(filter: {minProbability: $min}, sort: $sort, first: $first,
            after: $after) {
          totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }
      """;

  /** A stored prediction as the test wrote it. */
  record Row(String id, int version, double probability, @Nullable Double clv) {
    @Nullable Double lost() {
      return clv == null ? null : probability * clv;
    }
  }

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  final ObjectMapper json = new ObjectMapper();
  final Map<String, Row> rows = new HashMap<>();

  /** The list's floor: MIN unless a test lowers it. */
  double min = MIN;

  /** Other tests share this database: churn tables empty before and after. */
  @AfterEach
  void noPredictions() {
    db.sql("delete from churn_prediction").fetch().rowsUpdated().block();
    db.sql("delete from churn_model").fetch().rowsUpdated().block();
  }

  @BeforeEach
  void population() {
    noPredictions();
    model(1, true);
    model(2, false);
    double[] probabilities = {0.9, 0.6, 0.6, 1.0 / 3, 0.25, 0.1};
    double[] clvs = {100, 200, 50};
    for (int i = 0; i < 60; i++) {
      // lower- and upper-case ids interleave: the order is by code point ("C…" before "c…")
      String id = (i % 7 == 0 ? "c" : "C") + String.format("%03d", (i * 37) % 60);
      save(new Row(id, 1, probabilities[i % 6], i % 5 == 0 ? null : clvs[i % 3]));
    }
    save(new Row("C:1", 1, 0.6, null)); // the cursor's separator inside an id
    save(new Row("C-9", 1, 0.6, 100.0));
    // tied with c013 (i = 49) in both keys, differing only in case: "C" (U+0043) comes first
    save(new Row("C013", 1, 0.6, 200.0));
    save(new Row("c058", 2, 0.99, 900.0)); // an inactive model's prediction: never listed
  }

  void model(int version, boolean active) {
    db.sql(
            "insert into churn_model (version, created_at, horizon_days, validated,"
                + " beats_baselines, active, model, report)"
                + " values ($1, now(), 90, true, true, $2, '{}', '{}')")
        .bind(0, version)
        .bind(1, active)
        .fetch()
        .rowsUpdated()
        .block();
  }

  void save(Row r) {
    var spec =
        db.sql(
                "insert into churn_prediction (customer_id, model_version, as_of, probability,"
                    + " clv, expected_lost_value, features, computed_at)"
                    + " values ($1, $2, current_date, $3, $4, $5, ''::bytea, now())"
                    + " on conflict (customer_id) do update set model_version = excluded.model_version,"
                    + " probability = excluded.probability, clv = excluded.clv,"
                    + " expected_lost_value = excluded.expected_lost_value")
            .bind(0, r.id())
            .bind(1, r.version())
            .bind(2, r.probability());
    spec = r.clv() == null ? spec.bindNull(3, Double.class) : spec.bind(3, r.clv());
    spec = r.lost() == null ? spec.bindNull(4, Double.class) : spec.bind(4, r.lost());
    spec.fetch().rowsUpdated().block();
    rows.put(r.id(), r);
  }

  /** The documented order, computed here from what was written. */
  List<String> expected(String sort) {
    Comparator<Row> key =
        sort.equals("PROBABILITY")
            ? Comparator.comparingDouble(Row::probability).reversed()
            : Comparator.comparing(
                Row::lost, Comparator.nullsLast(Comparator.<Double>reverseOrder()));
    return rows.values().stream()
        .filter(r -> r.version() == 1 && r.probability() >= min)
        .sorted(key.thenComparing(Row::id))
        .map(Row::id)
        .toList();
  }

  JsonNode page(String sort, int first, @Nullable String after) {
    Map<String, Object> vars = new HashMap<>(Map.of("min", min, "sort", sort, "first", first));
    vars.put("after", after);
    byte[] body =
        GraphQlHttp.post(http, secret, Role.ANALYST, PAGE, vars, "en")
            .returnResult()
            .getResponseBody();
    return json.readTree(body);
  }

  /**
   * Pages from {@code after} to the end, checking totalCount on every page; fails (not loops) when
   * a list never ends, e.g. a cursor that starts at its own row again.
   */
  List<String> rest(String sort, int first, @Nullable String after, int total) {
    List<String> ids = new ArrayList<>();
    for (int pages = 0; pages <= total + 1; pages++) {
      JsonNode c = page(sort, first, after).path("data").path("customersByChurnRisk");
      assertThat(c.path("totalCount").asInt()).isEqualTo(total);
      c.path("edges").forEach(e -> ids.add(e.path("node").path("id").asString()));
      if (!c.path("pageInfo").path("hasNextPage").asBoolean()) {
        return ids;
      }
      after = c.path("pageInfo").path("endCursor").asString();
    }
    throw new AssertionError(
        "more pages than customers: " + ids.subList(0, Math.min(20, ids.size())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"EXPECTED_LOST_VALUE", "PROBABILITY"})
  void pagingSeesEveryCustomerOnceInTheDocumentedOrder(String sort) {
    List<String> expected = expected(sort);
    // the population has what makes keyset paging hard: ties, unknown CLVs, case-only differences
    assertThat(expected).hasSize(53).contains("C:1", "C-9").doesNotContain("c058");
    // by code point all "C…" of the tie come before "c013"; a case-insensitive collation would
    // put "c013" right after "C013"
    assertThat(expected.indexOf("c013") - expected.indexOf("C013")).isGreaterThan(1);
    for (int first : new int[] {1, 3, 7, 53, 100}) {
      assertThat(rest(sort, first, null, expected.size()))
          .as("first %d", first)
          .isEqualTo(expected);
    }
  }

  /**
   * The seek indexes hold probabilities from ChurnModelRepository.INDEXED_FROM up (V23): a list
   * from under that floor is read without them and still has every customer once, in order, the
   * ones under the floor last by probability.
   */
  @ParameterizedTest
  @ValueSource(strings = {"EXPECTED_LOST_VALUE", "PROBABILITY"})
  void aFloorUnderTheIndexedRangeListsTheCustomersUnderItToo(String sort) {
    save(new Row("L1", 1, 0.02, 50_000.0)); // under the indexed range, the highest lost value
    save(new Row("L2", 1, 0.049, null));
    save(new Row("L3", 1, ChurnModelRepository.INDEXED_FROM, 10.0)); // its lowest value
    save(new Row("L4", 1, 0.009, 100.0)); // under this list's floor
    min = 0.01;
    List<String> expected = expected(sort);
    assertThat(expected).hasSize(66).contains("L1", "L2", "L3").doesNotContain("L4", "c058");
    if (sort.equals("PROBABILITY")) {
      assertThat(expected.subList(63, 66)).containsExactly("L3", "L2", "L1");
    } else {
      assertThat(expected.get(0)).isEqualTo("L1");
    }
    for (int first : new int[] {1, 7, 100}) {
      assertThat(rest(sort, first, null, expected.size()))
          .as("first %d", first)
          .isEqualTo(expected);
    }
    // from the floor up, the customers under it are not listed
    min = ChurnModelRepository.INDEXED_FROM;
    List<String> fromFloor = expected(sort);
    assertThat(fromFloor).contains("L3").doesNotContain("L1", "L2");
    assertThat(rest(sort, 7, null, fromFloor.size())).isEqualTo(fromFloor);
  }

  @ParameterizedTest
  @ValueSource(strings = {"EXPECTED_LOST_VALUE", "PROBABILITY"})
  void predictionsChangedBetweenTwoPagesNeitherRepeatNorSkipTheOthers(String sort) {
    List<String> before = expected(sort);
    JsonNode first = page(sort, 10, null).path("data").path("customersByChurnRisk");
    List<String> seen = new ArrayList<>();
    first.path("edges").forEach(e -> seen.add(e.path("node").path("id").asString()));
    assertThat(seen).isEqualTo(before.subList(0, 10));

    // rescoring between the two requests: a listed customer falls past the position, one not yet
    // listed rises before it (an offset would skip one customer, then repeat one)
    String fell = before.get(2);
    String rose = before.get(30);
    Row f = rows.get(fell);
    Row r = rows.get(rose);
    if (sort.equals("PROBABILITY")) {
      save(new Row(fell, 1, 0.21, f.clv()));
      save(new Row(rose, 1, 0.95, r.clv()));
    } else {
      save(new Row(fell, 1, f.probability(), null)); // CLV now unknown: among the last
      save(new Row(rose, 1, r.probability(), 1e6));
    }
    List<String> after =
        rest(
            sort,
            10,
            first.path("pageInfo").path("endCursor").asString(),
            first.path("totalCount").asInt());

    List<String> all = new ArrayList<>(seen);
    all.addAll(after);
    assertThat(all.stream().filter(id -> !id.equals(fell) && !id.equals(rose)).toList())
        .isEqualTo(before.stream().filter(id -> !id.equals(fell) && !id.equals(rose)).toList());
    // the changed ones where their new predictions put them relative to the position: the rest is
    // the new order after the last customer of the first page (whose prediction did not change)
    List<String> now = expected(sort);
    assertThat(after).isEqualTo(now.subList(now.indexOf(seen.get(9)) + 1, now.size()));
    assertThat(after).containsOnlyOnce(fell).doesNotContain(rose);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not a cursor %%",
        "NTA", // base64 of "50": an offset cursor of the old API
        "foreign sort"
      })
  void aBadCursorIsBadUserInputOnAfter(String after) {
    String cursor =
        after.equals("foreign sort")
            ? page("PROBABILITY", 1, null)
                .path("data")
                .path("customersByChurnRisk")
                .path("pageInfo")
                .path("endCursor")
                .asString()
            : after;
    assertThat(Cursors.decode("NTA", "after")).isEqualTo("50");
    JsonNode r = page("EXPECTED_LOST_VALUE", 5, cursor);
    assertThat(r.path("data").isNull()).as("no page: %s", r).isTrue();
    JsonNode error = r.path("errors").path(0).path("extensions");
    assertThat(error.path("code").asString()).as(r.toString()).isEqualTo("BAD_USER_INPUT");
    assertThat(error.path("field").asString()).isEqualTo("after");
    // what would have been accepted (base64 is checked first, then the position)
    assertThat(error.path("expected").asString())
        .isIn(
            "a cursor returned by this API",
            "a cursor from this list sorted by EXPECTED_LOST_VALUE");
  }
}
