package io.retain.customer.profile;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Orders, tickets and surveys as Relay connections, newest first, over the worked example. */
class HistoryConnectionsTest extends CustomerApiTest {

  static boolean loaded;

  @BeforeEach
  void load() {
    if (!loaded) {
      loaded = true;
      importWorkedExample();
    }
  }

  @Test
  void pagesOrdersNewestFirstWithStableCursors() {
    String q =
        "query($after: String) { customer(id: \"C001\") { orders(first: 5, after: $after) {"
            + " edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }";
    var first =
        graphql(Role.ANALYST, q, Map.of())
            // O-1013 (a test order, 2026-06-26) is listed: it is kept, only metrics skip it
            .jsonPath("$.data.customer.orders.edges[*].node.id")
            .isEqualTo(List.of("O-1013", "O-1012", "O-1011", "O-1010", "O-1009"))
            .jsonPath("$.data.customer.orders.pageInfo.hasNextPage")
            .isEqualTo(true);
    String cursor =
        com.jayway.jsonpath.JsonPath.read(
            new String(first.returnResult().getResponseBodyContent()),
            "$.data.customer.orders.pageInfo.endCursor");
    graphql(Role.ANALYST, q, Map.of("after", cursor))
        .jsonPath("$.data.customer.orders.edges[*].node.id")
        .isEqualTo(List.of("O-1008", "O-1007", "O-1006", "O-1005", "O-1004"));
  }

  @Test
  void loadsTicketsAndSurveysForManyCustomersInOnePage() {
    graphql(
            Role.ANALYST,
            "{ customers(first: 3) { edges { node { id"
                + " tickets(first: 5) { edges { node { id complaint firstResponseAt resolvedAt } } }"
                + " surveys(first: 1) { edges { node { score } } pageInfo { hasNextPage } } } } } }",
            Map.of())
        .jsonPath("$.data.customers.edges[*].node.id")
        .isEqualTo(List.of("C001", "C002", "C003"))
        .jsonPath("$.data.customers.edges[1].node.tickets.edges[*].node.id")
        .isEqualTo(List.of("T-3", "T-2"))
        .jsonPath("$.data.customers.edges[1].node.tickets.edges[0].node.resolvedAt")
        .doesNotExist()
        .jsonPath("$.data.customers.edges[1].node.tickets.edges[1].node.complaint")
        .isEqualTo(true)
        // C001's newest survey is 2026-05-01, score 8; two older ones follow
        .jsonPath("$.data.customers.edges[0].node.surveys.edges[0].node.score")
        .isEqualTo(8)
        .jsonPath("$.data.customers.edges[0].node.surveys.pageInfo.hasNextPage")
        .isEqualTo(true)
        .jsonPath("$.data.customers.edges[2].node.tickets.edges")
        .isEmpty();
  }
}
