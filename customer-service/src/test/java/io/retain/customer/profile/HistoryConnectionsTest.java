package io.retain.customer.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.graphql.Cursors;
import io.retain.support.security.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;

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
    GraphQlTester.Response first = graphQl(Role.ANALYST).documentName("customerOrders").execute();
    // O-1013 (a test order, 2026-06-26) is listed: it is kept, only metrics skip it
    first
        .path("customer.orders.edges[*].node.id")
        .entityList(String.class)
        .containsExactly("O-1013", "O-1012", "O-1011", "O-1010", "O-1009")
        .path("customer.orders.pageInfo.hasNextPage")
        .entity(Boolean.class)
        .isEqualTo(true);
    String cursor = first.path("customer.orders.pageInfo.endCursor").entity(String.class).get();
    graphQl(Role.ANALYST)
        .documentName("customerOrders")
        .variable("after", cursor)
        .execute()
        .path("customer.orders.edges[*].node.id")
        .entityList(String.class)
        .containsExactly("O-1008", "O-1007", "O-1006", "O-1005", "O-1004");
  }

  @Test
  void aCursorIsTheItemsTimeAndIdAsBeforeSpringsWindow() {
    // clients may hold cursors from before the shared paging: base64url of "placedAt|id"
    String cursor =
        graphQl(Role.ANALYST)
            .documentName("customerOrders")
            .execute()
            .path("customer.orders.edges[4].cursor")
            .entity(String.class)
            .get();
    String position = Cursors.decode(cursor, "after");
    assertThat(position).endsWith("|O-1009");
    Instant placedAt = Instant.parse(position.substring(0, position.indexOf('|')));
    assertThat(Cursors.encode(placedAt + "|O-1009")).isEqualTo(cursor);
  }

  @Test
  void aForeignCursorOrAPageOutsideOneToAThousandIsBadUserInput() {
    for (String bad : List.of(Cursors.encode("yesterday|O-1"), Cursors.encode("no-bar"), "%%%")) {
      ordersWith(Map.of("after", bad))
          .satisfy(badInputOn("after", "a cursor returned by this API"));
    }
    for (int bad : new int[] {0, -1, 1001}) {
      ordersWith(Map.of("first", bad)).satisfy(badInputOn("first", "1 to 1000"));
    }
  }

  private GraphQlTester.Errors ordersWith(Map<String, Object> variables) {
    return graphQl(Role.ANALYST)
        .documentName("customerOrders")
        .variables(variables)
        .execute()
        .errors();
  }

  /** One BAD_USER_INPUT error at customer.orders naming the argument and what was expected. */
  private static Consumer<List<ResponseError>> badInputOn(String field, String expected) {
    return errors ->
        assertThat(errors)
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getExtensions())
                      .containsEntry("code", "BAD_USER_INPUT")
                      .containsEntry("field", field)
                      .containsEntry("expected", expected);
                  assertThat(e.getPath()).isEqualTo("customer.orders");
                });
  }

  @Test
  void loadsTicketsAndSurveysForManyCustomersInOnePage() {
    graphQl(Role.ANALYST)
        .documentName("customersWithHistories")
        .execute()
        .path("customers.edges[*].node.id")
        .entityList(String.class)
        .containsExactly("C001", "C002", "C003")
        .path("customers.edges[1].node.tickets.edges[*].node.id")
        .entityList(String.class)
        .containsExactly("T-3", "T-2")
        .path("customers.edges[1].node.tickets.edges[0].node.resolvedAt")
        .valueIsNull()
        .path("customers.edges[1].node.tickets.edges[1].node.complaint")
        .entity(Boolean.class)
        .isEqualTo(true)
        // C001's newest survey is 2026-05-01, score 8; two older ones follow
        .path("customers.edges[0].node.surveys.edges[0].node.score")
        .entity(Integer.class)
        .isEqualTo(8)
        .path("customers.edges[0].node.surveys.pageInfo.hasNextPage")
        .entity(Boolean.class)
        .isEqualTo(true)
        .path("customers.edges[2].node.tickets.edges")
        .entityList(Object.class)
        .hasSize(0);
  }
}
