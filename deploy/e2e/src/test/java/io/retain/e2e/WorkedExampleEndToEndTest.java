package io.retain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.support.security.Role;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worked example through the real services as processes: imported through customer-service's
 * public import endpoint, scored as of 2026-06-30 through scoring-service's public API, and the
 * stored loyalty equals worked-example.expected.json: scores, tiers, caps, risk codes and
 * severities in order, points lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkedExampleEndToEndTest {

  RunningSuite suite;

  @BeforeAll
  void start() throws Exception {
    // the change-feed poller would rescore "as of today"; this test pins asOf
    suite =
        new RunningSuite(
            "worked",
            Map.of(
                "RETAIN_SCORING_CHANGEFEED_ENABLED",
                "false",
                "RETAIN_RETENTION_WARNINGFEED_INTERVAL",
                "300ms"));
  }

  @AfterAll
  void stop() {
    if (suite != null) {
      suite.close();
    }
  }

  static JsonNode fixture(String name) throws Exception {
    try (InputStream in =
        WorkedExampleEndToEndTest.class.getResourceAsStream("/fixtures/" + name)) {
      return RunningSuite.JSON.readTree(in);
    }
  }

  /** The nested worked example as one NDJSON body per entity. */
  static Map<String, String> importFiles() throws Exception {
    Map<String, List<String>> lines = new LinkedHashMap<>();
    for (String e : List.of("customers", "orders", "tickets", "surveys")) {
      lines.put(e, new ArrayList<>());
    }
    for (JsonNode c : fixture("worked-example.input.json").get("customers")) {
      ObjectNode profile = RunningSuite.JSON.createObjectNode();
      for (String f : List.of("id", "name", "kind", "industry", "valueTier", "since")) {
        profile.set(f, c.get(f));
      }
      lines.get("customers").add(profile.toString());
      for (String nested : List.of("orders", "tickets", "surveys")) {
        for (JsonNode row : c.get(nested)) {
          ObjectNode r = ((ObjectNode) row).deepCopy();
          r.put("customerId", c.get("id").asString());
          lines.get(nested).add(r.toString());
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    lines.forEach((k, v) -> out.put(k, String.join("\n", v) + "\n"));
    return out;
  }

  @Test
  void importedAndScoredThroughThePublicApisTheWorkedExampleComesOutExactly() throws Exception {
    String steward = suite.token(Role.DATA_STEWARD);
    for (var f : importFiles().entrySet()) {
      HttpResponse<String> r =
          suite.post(
              "customer-service",
              "/import/" + f.getKey(),
              steward,
              "application/x-ndjson",
              f.getValue());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(RunningSuite.JSON.readTree(r.body()).get("quarantined").asInt()).isZero();
    }
    JsonNode rescored =
        suite.graphql(
            "scoring-service",
            suite.token(Role.ADMIN),
            "mutation { rescore(input: {asOf: \"2026-06-30\", customerIds: [\"C001\",\"C002\",\"C003\",\"C004\",\"C005\",\"C006\"]}) { scored } }",
            Map.of());
    assertThat(rescored.at("/data/rescore/scored").asInt()).as(rescored.toString()).isEqualTo(6);

    StringBuilder reps = new StringBuilder();
    for (String id : List.of("C001", "C002", "C003", "C004", "C005", "C006")) {
      reps.append("{__typename: \"Customer\", id: \"").append(id).append("\"},");
    }
    JsonNode loyalty =
        suite.graphql(
            "scoring-service",
            suite.token(Role.ANALYST),
            "{ _entities(representations: ["
                + reps
                + "]) { ... on Customer { id loyalty { score tier tierCaps asOf"
                + " components { name pointsLost } riskFactors { code severity } } } } }",
            Map.of());
    JsonNode entities = loyalty.at("/data/_entities");
    assertThat(entities.size()).as(loyalty.toString()).isEqualTo(6);
    int i = 0;
    for (JsonNode exp : fixture("worked-example.expected.json")) {
      JsonNode got = entities.get(i++).get("loyalty");
      String id = exp.get("id").asString();
      assertThat(got.get("asOf").asString()).isEqualTo("2026-06-30");
      assertThat(got.get("score").asDouble())
          .as(id + " score")
          .isEqualTo(exp.get("score").asDouble());
      assertThat(got.get("tier").asString()).as(id + " tier").isEqualTo(exp.get("tier").asString());
      assertThat(got.get("tierCaps").toString())
          .as(id + " caps")
          .isEqualTo(exp.get("tierCaps").toString());
      List<String> expFactors = new ArrayList<>();
      exp.get("riskFactors")
          .forEach(
              f -> expFactors.add(f.get("code").asString() + "/" + f.get("severity").asString()));
      List<String> gotFactors = new ArrayList<>();
      got.get("riskFactors")
          .forEach(
              f -> gotFactors.add(f.get("code").asString() + "/" + f.get("severity").asString()));
      assertThat(gotFactors).as(id + " risk factors").isEqualTo(expFactors);
      for (JsonNode c : got.get("components")) {
        JsonNode pl = exp.get("pointsLost").get(c.get("name").asString());
        if (pl != null) {
          assertThat(c.get("pointsLost").asDouble())
              .as(id + " pointsLost " + c.get("name"))
              .isEqualTo(pl.asDouble());
        }
      }
    }

    // retention-service opens plans from scoring's warning feed on its own (DOMAIN.md §8)
    Map<String, List<String>> expectedPlans =
        Map.of(
            "C001", List.of(),
            "C002",
                List.of(
                    "FREQUENCY_DROP",
                    "HIGH_COMPLAINT_RATE",
                    "SLOW_SERVICE_RESPONSE",
                    "UNRESOLVED_TICKETS"),
            "C003", List.of("FREQUENCY_DROP", "NO_RECENT_PURCHASE"),
            "C004", List.of(),
            "C005", List.of("FREQUENCY_DROP", "HIGH_COMPLAINT_RATE", "LOW_NPS"),
            "C006", List.of());
    Map<String, List<String>> plans = Map.of();
    for (int attempt = 0; attempt < 60 && !plans.equals(expectedPlans); attempt++) {
      Thread.sleep(500);
      plans = openPlans(reps.toString());
    }
    assertThat(plans).isEqualTo(expectedPlans);

    // The front-end's one request, through the gateway: who is at risk, why, and what is planned
    JsonNode oneRequest =
        suite.graphql(
            "gateway",
            suite.token(Role.ANALYST),
            """
            { customersByLoyalty(filter: {tiers: [HIGH_RISK, POTENTIAL_CHURN]}, first: 50) {
                totalCount
                edges { node {
                  id name valueTier
                  loyalty { score tier riskFactors { code severity pointsLost message } }
                  actionPlans(status: PLANNED) {
                    problem { code } department dueDate
                    expectedEffect { metric comparator target withinDays } } } } } }
            """,
            Map.of());
    assertThat(oneRequest.has("errors")).as(oneRequest.toString()).isFalse();
    JsonNode edges = oneRequest.at("/data/customersByLoyalty/edges");
    assertThat(oneRequest.at("/data/customersByLoyalty/totalCount").asInt()).isEqualTo(3);
    JsonNode c002 = edges.get(0).get("node");
    assertThat(c002.get("id").asString()).isEqualTo("C002");
    assertThat(c002.get("name").asString()).isEqualTo("Huabei Manufacturing Group");
    assertThat(c002.get("valueTier").asString()).isEqualTo("MAJOR");
    assertThat(c002.at("/loyalty/score").asDouble()).isEqualTo(68.1);
    assertThat(c002.at("/loyalty/tier").asString()).isEqualTo("POTENTIAL_CHURN");
    assertThat(c002.at("/loyalty/riskFactors/0/code").asString()).isEqualTo("FREQUENCY_DROP");
    assertThat(c002.at("/loyalty/riskFactors/0/pointsLost").asDouble()).isEqualTo(5.0);
    assertThat(c002.at("/loyalty/riskFactors/0/message").asString())
        .isEqualTo("Orders in the last 3 months fell 57% below the usual rate");
    assertThat(c002.get("actionPlans").size()).isEqualTo(4);
    for (JsonNode plan : c002.get("actionPlans")) {
      // POTENTIAL_CHURN plans are due 14 days after the warning's asOf
      assertThat(plan.get("dueDate").asString()).isEqualTo("2026-07-14");
    }
    JsonNode c003 = edges.get(1).get("node");
    assertThat(c003.get("name").asString()).isEqualTo("Li Wei");
    assertThat(c003.at("/loyalty/tier").asString()).isEqualTo("HIGH_RISK");
    assertThat(c003.get("actionPlans").size()).isEqualTo(2);
    assertThat(c003.at("/actionPlans/0/dueDate").asString()).isEqualTo("2026-07-07");
    JsonNode c005 = edges.get(2).get("node");
    assertThat(c005.get("valueTier").asString()).isEqualTo("ORDINARY");
    assertThat(c005.at("/loyalty/score").asDouble()).isEqualTo(52.9);
    assertThat(c005.get("actionPlans").size()).isEqualTo(3);
  }

  Map<String, List<String>> openPlans(String reps) throws Exception {
    JsonNode r =
        suite.graphql(
            "retention-service",
            suite.token(Role.ANALYST),
            "{ _entities(representations: ["
                + reps
                + "]) { ... on Customer { id actionPlans(status: PLANNED) { problem { code } department dueDate } } } }",
            Map.of());
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (JsonNode c : r.at("/data/_entities")) {
      List<String> codes = new ArrayList<>();
      c.get("actionPlans").forEach(p -> codes.add(p.at("/problem/code").asString()));
      java.util.Collections.sort(codes);
      out.put(c.get("id").asString(), codes);
    }
    return out;
  }
}
