package io.retain.scoring.loyalty;

import io.retain.scoring.customer.Customer;
import io.retain.scoring.loyalty.LoyaltyRepository.LoyaltyFilter;
import io.retain.scoring.loyalty.LoyaltyRepository.TierCount;
import io.retain.scoring.loyalty.LoyaltyRepository.TierTrendPoint;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import java.time.LocalDate;
import java.util.List;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** Population queries over stored assessments: customers by loyalty, tier distribution, trend. */
@Controller
class PopulationController {

  record LoyaltyEdge(String cursor, Customer node) {}

  record PageInfo(boolean hasNextPage, String endCursor) {}

  record LoyaltyConnection(List<LoyaltyEdge> edges, PageInfo pageInfo, int totalCount) {}

  private final LoyaltyRepository loyalty;

  PopulationController(LoyaltyRepository loyalty) {
    this.loyalty = loyalty;
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<LoyaltyConnection> customersByLoyalty(
      @Argument LoyaltyFilter filter, @Argument Integer first, @Argument String after) {
    int n = first == null ? 50 : first;
    if (n < 1 || n > 1000) {
      throw ApiException.badInput("first", "1 to 1000", "first " + n + " is out of range");
    }
    LoyaltyFilter f = filter == null ? new LoyaltyFilter(null, null, null, null, null) : filter;
    String afterId = after == null ? "" : Cursors.decode(after, "after");
    return Mono.zip(loyalty.page(f, afterId, n + 1), loyalty.count(f))
        .map(
            t -> {
              List<String> ids = t.getT1();
              boolean more = ids.size() > n;
              List<LoyaltyEdge> edges =
                  (more ? ids.subList(0, n) : ids)
                      .stream()
                          .map(id -> new LoyaltyEdge(Cursors.encode(id), new Customer(id)))
                          .toList();
              return new LoyaltyConnection(
                  edges,
                  new PageInfo(more, edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()),
                  t.getT2());
            });
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<TierCount>> tierDistribution(@Argument String breakdown) {
    return loyalty.distribution(breakdown);
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<TierTrendPoint>> tierTrend(
      @Argument LocalDate from,
      @Argument LocalDate to,
      @Argument String period,
      @Argument String breakdown) {
    String unit = period == null || period.equals("MONTH") ? "month" : "week";
    if (to.isBefore(from)) {
      throw ApiException.badInput("to", "a date on or after from", "to is before from");
    }
    long periods =
        unit.equals("month")
            ? java.time.temporal.ChronoUnit.MONTHS.between(from.withDayOfMonth(1), to) + 1
            : java.time.temporal.ChronoUnit.WEEKS.between(from, to) + 2;
    if (periods > 400) {
      throw ApiException.badInput(
          "to", "at most 400 periods", "from " + from + " to " + to + " is too many periods");
    }
    // each period's distribution is every customer's newest stored assessment at its end
    return loyalty.trend(from, to, unit, breakdown);
  }
}
