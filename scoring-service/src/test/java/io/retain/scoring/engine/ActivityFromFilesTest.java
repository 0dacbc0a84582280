package io.retain.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The in-memory aggregates the demo-data test scores with are customer-service's: from the worked
 * example's input rows they give exactly the aggregates {@code worked-example.activity.json} pins
 * (which customer-service's {@code WorkedExampleActivityTest} holds its SQL to).
 */
class ActivityFromFilesTest {

  @ParameterizedTest
  @ValueSource(strings = {"C001", "C002", "C003", "C004", "C005", "C006"})
  void givesTheWorkedExamplesAggregates(String id) throws Exception {
    JsonNode input = WorkedExampleScoringTest.fixture("worked-example.input.json");
    LocalDate asOf = LocalDate.parse(input.get("asOf").asString());
    JsonNode c = null;
    for (JsonNode x : input.get("customers")) {
      if (x.get("id").asString().equals(id)) {
        c = x;
      }
    }
    List<ActivityFromFiles.Order> orders = new ArrayList<>();
    List<ActivityFromFiles.Ticket> tickets = new ArrayList<>();
    List<ActivityFromFiles.Survey> surveys = new ArrayList<>();
    c.path("orders").forEach(o -> orders.add(ActivityFromFiles.order(o)));
    c.path("tickets").forEach(t -> tickets.add(ActivityFromFiles.ticket(t)));
    c.path("surveys").forEach(s -> surveys.add(ActivityFromFiles.survey(s)));
    ActivityFromFiles.Customer customer =
        new ActivityFromFiles.Customer(
            id,
            LocalDate.parse(c.get("since").asString()),
            c.get("kind").asString(),
            c.get("industry").asString(),
            c.get("valueTier").asString(),
            null,
            orders,
            tickets,
            surveys);

    Activity got = ActivityFromFiles.activity(customer, "ACTIVE", asOf, 12);
    Activity want = WorkedExampleScoringTest.activity(id);

    assertThat(got.ordersInWindow()).isEqualTo(want.ordersInWindow());
    assertThat(got.ordersByBucket()).isEqualTo(want.ordersByBucket());
    assertThat(got.amountSum()).isCloseTo(want.amountSum(), within(1e-6));
    assertThat(got.amountSumSquares()).isCloseTo(want.amountSumSquares(), within(1e-3));
    assertThat(got.stabilityOrders()).isEqualTo(want.stabilityOrders());
    assertThat(got.stabilityAmountSum()).isCloseTo(want.stabilityAmountSum(), within(1e-6));
    assertThat(got.stabilityAmountSumSquares())
        .isCloseTo(want.stabilityAmountSumSquares(), within(1e-3));
    assertThat(got.lastOrderDate()).isEqualTo(want.lastOrderDate());
    assertThat(got.firstOrderDate()).isEqualTo(want.firstOrderDate());
    assertThat(got.ordersAllTime()).isEqualTo(want.ordersAllTime());
    assertThat(got.spendAllTime()).isCloseTo(want.spendAllTime(), within(1e-6));
    assertThat(got.spendInWindow()).isCloseTo(want.spendInWindow(), within(1e-6));
    assertThat(got.complaintsInWindow()).isEqualTo(want.complaintsInWindow());
    assertThat(got.ticketsInWindow()).isEqualTo(want.ticketsInWindow());
    if (want.meanFirstResponseHours() == null) {
      assertThat(got.meanFirstResponseHours()).isNull();
    } else {
      assertThat(got.meanFirstResponseHours())
          .isCloseTo(want.meanFirstResponseHours(), within(1e-6));
    }
    assertThat(got.ticketsOpenOver7Days()).isEqualTo(want.ticketsOpenOver7Days());
    assertThat(got.npsPromoters()).isEqualTo(want.npsPromoters());
    assertThat(got.npsPassives()).isEqualTo(want.npsPassives());
    assertThat(got.npsDetractors()).isEqualTo(want.npsDetractors());
    assertThat(got.csatResponses()).isEqualTo(want.csatResponses());
    assertThat(got.csatMean()).isEqualTo(want.csatMean());
    // and so the same assessment
    WeightProfile p = WeightProfile.defaults();
    assertThat(ScoringEngine.assess(got, p, asOf, null, 0.8).score())
        .isEqualTo(ScoringEngine.assess(want, p, asOf, null, 0.8).score());
  }
}
