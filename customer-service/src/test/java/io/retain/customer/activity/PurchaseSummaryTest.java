package io.retain.customer.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The purchase summaries behind scoring's purchase model (DOMAIN.md §10.1): which orders count, how
 * a day's orders merge, what x, first/last day and the mean repeat spend are, as of a date.
 */
class PurchaseSummaryTest extends CustomerApiTest {

  static boolean loaded;
  @Autowired DatabaseClient db;

  @BeforeEach
  void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    for (String sql :
        List.of(
            """
            insert into customer (id, name, kind, industry, since, value_tier) values
              ('P1', 'Repeat buyer', 'INDIVIDUAL', 'retail', '2025-01-01', 'ORDINARY'),
              ('P2', 'One day only', 'INDIVIDUAL', 'retail', '2025-01-01', 'ORDINARY'),
              ('P3', 'Nothing counted', 'INDIVIDUAL', 'retail', '2025-01-01', 'ORDINARY'),
              ('P4', 'No orders', 'INDIVIDUAL', 'retail', '2025-01-01', 'ORDINARY')
            """,
            """
            insert into customer_order (id, customer_id, placed_at, amount, status, test) values
              ('A1', 'P1', '2026-01-10 09:00:00+00', 100.00, 'COMPLETED', false),
              ('A2', 'P1', '2026-02-01 08:00:00+00', 30.00, 'COMPLETED', false),
              ('A3', 'P1', '2026-02-01 23:59:59.999999+00', 20.00, 'COMPLETED', false),
              ('A4', 'P1', '2026-03-15 12:00:00+00', 10.00, 'COMPLETED', false),
              ('A5', 'P1', '2026-03-20 12:00:00+00', 500.00, 'CANCELLED', false),
              ('A6', 'P1', '2026-03-21 12:00:00+00', 500.00, 'REFUNDED', false),
              ('A7', 'P1', '2026-03-22 12:00:00+00', 500.00, 'COMPLETED', true),
              ('A8', 'P1', '2026-06-30 23:59:59.999999+00', 40.00, 'COMPLETED', false),
              ('A9', 'P1', '2026-07-01 00:00:00+00', 900.00, 'COMPLETED', false),
              ('B1', 'P2', '2026-05-05 01:00:00+00', 70.00, 'COMPLETED', false),
              ('B2', 'P2', '2026-05-05 22:00:00+00', 5.00, 'COMPLETED', false),
              ('C1', 'P3', '2026-05-05 10:00:00+00', 70.00, 'CANCELLED', false),
              ('C2', 'P3', '2026-05-06 10:00:00+00', 70.00, 'COMPLETED', true)
            """)) {
      db.sql(sql).then().block();
    }
  }

  private List<String> stream(String query) {
    String body =
        http.get()
            .uri("/internal/purchase-summaries?" + query)
            .header("Authorization", "Bearer " + token(Role.SERVICE))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("application/x-ndjson")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return body == null ? List.of() : body.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void countsCompletedNonTestOrdersUpToTheEndOfTheDateWithEachDaysOrdersMerged() {
    // P1: purchase days 01-10 (first), 02-01 (30 + 20, the last microsecond of the day is that
    // day), 03-15, 06-30; cancelled, refunded, test and 07-01 orders do not count: x = 3,
    // mean repeat spend (50 + 10 + 40) / 3. P2: two orders on one day are one purchase, x = 0.
    // P3 (nothing counted) and P4 (no orders) are left out.
    assertThat(stream("asOf=2026-06-30"))
        .containsExactly(
            "[\"P1\",3,\"2026-01-10\",\"2026-06-30\",33.333333]",
            "[\"P2\",0,\"2026-05-05\",\"2026-05-05\",null]");
  }

  @Test
  void anEarlierDateSeesOnlyTheOrdersPlacedByItsEnd() {
    assertThat(stream("asOf=2026-02-01"))
        .containsExactly("[\"P1\",1,\"2026-01-10\",\"2026-02-01\",50.000000]");
    assertThat(stream("asOf=2026-01-09")).isEmpty();
  }

  @Test
  void resumesAfterAnId() {
    assertThat(stream("asOf=2026-06-30&after=P1"))
        .containsExactly("[\"P2\",0,\"2026-05-05\",\"2026-05-05\",null]");
  }

  @Test
  void pagesOfOneCustomerGiveTheSameLines() {
    var repository = new PurchaseSummaryRepository(db, new ActivityRepository(db));
    var paged =
        repository
            .pages(null, java.time.LocalDate.parse("2026-06-30"), 1)
            .concatMap(page -> page)
            .map(PurchaseSummary::customerId)
            .collectList()
            .block();
    assertThat(paged).containsExactly("P1", "P2");
  }

  @Test
  void needsTheServiceRoleAndADate() {
    http.get()
        .uri("/internal/purchase-summaries?asOf=2026-06-30")
        .header("Authorization", "Bearer " + token(Role.ANALYST))
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get()
        .uri("/internal/purchase-summaries")
        .header("Authorization", "Bearer " + token(Role.SERVICE))
        .exchange()
        .expectStatus()
        .isBadRequest();
  }
}
