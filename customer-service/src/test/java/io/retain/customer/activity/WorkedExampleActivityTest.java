package io.retain.customer.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.retain.customer.CustomerApiTest;
import io.retain.customer.WorkedExample;
import io.retain.support.security.Role;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The worked example imports through the public import endpoint, and customerActivity as of
 * 2026-06-30 returns exactly the aggregates of deploy/fixtures/worked-example.activity.json, from
 * which every metric of worked-example.expected.json follows.
 */
class WorkedExampleActivityTest extends CustomerApiTest {

  static final String QUERY =
      """
      query($ids: [ID!]!) {
        customerActivity(ids: $ids, asOf: "2026-06-30", windowMonths: 12) {
          customerId since kind industry valueTier region status accountManagerChangedAt
          ordersInWindow ordersByBucket amountSum amountSumSquares stabilityOrders
          stabilityAmountSum stabilityAmountSumSquares lastOrderDate firstOrderDate ordersAllTime
          spendAllTime spendInWindow complaintsInWindow ticketsInWindow meanFirstResponseHours
          ticketsOpenOver7Days npsPromoters npsPassives npsDetractors csatMean csatResponses
          purchaseDaysAllTime
        }
      }
      """;

  @Test
  void activityAggregatesEqualTheContractFixture() throws Exception {
    importWorkedExample();
    JsonNode expected = WorkedExample.resource("worked-example.activity.json").get("activity");
    byte[] body =
        graphql(
                Role.SERVICE,
                QUERY,
                Map.of(
                    "ids",
                    java.util.List.of("c006", " C001", "C002", "C003", "C004", "C005", "NOPE")))
            .returnResult()
            .getResponseBody();
    JsonNode actual =
        new ObjectMapper()
            .readTree(new String(body, StandardCharsets.UTF_8))
            .at("/data/customerActivity");
    // answered in the order asked, ids cleaned, unknown ids left out
    assertThat(actual.size()).isEqualTo(6);
    assertThat(actual.get(0).get("customerId").asString()).isEqualTo("C006");
    for (JsonNode exp : expected) {
      String id = exp.get("customerId").asString();
      JsonNode act = null;
      for (JsonNode a : actual) {
        if (a.get("customerId").asString().equals(id)) {
          act = a;
        }
      }
      assertThat(act).as(id).isNotNull();
      for (var field : exp.properties()) {
        JsonNode e = field.getValue();
        JsonNode a = act.get(field.getKey());
        String what = id + "." + field.getKey();
        if (e.isNumber() && !e.isIntegralNumber() || e.isNumber() && a.isFloatingPointNumber()) {
          assertThat(a.asDouble()).as(what).isCloseTo(e.asDouble(), within(1e-4));
        } else {
          assertThat(a).as(what).isEqualTo(e);
        }
      }
    }
  }

  @Test
  void serviceRoleIsRequired() {
    graphql(Role.ANALYST, QUERY, Map.of("ids", java.util.List.of("C001")))
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN")
        .jsonPath("$.data.customerActivity")
        .doesNotExist();
  }
}
