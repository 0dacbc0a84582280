package io.retain.scoring.loyalty;

import graphql.GraphQLContext;
import graphql.execution.DataFetcherResult;
import io.retain.scoring.customer.Customer;
import io.retain.scoring.loyalty.LoyaltyRepository.LoyaltyFilter;
import io.retain.scoring.loyalty.LoyaltyRepository.TierCount;
import io.retain.scoring.loyalty.LoyaltyRepository.TierTrendPoint;
import io.retain.support.graphql.ApiException;
import io.retain.support.paging.Keyset;
import io.retain.support.paging.Paging;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.LocalContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** Population queries over stored assessments: customers by loyalty, tier distribution, trend. */
@Controller
class PopulationController {

  /** The local-context key that carries a page's total to {@code LoyaltyConnection.totalCount}. */
  static final String TOTAL_COUNT = "totalCount";

  private final LoyaltyRepository loyalty;

  PopulationController(LoyaltyRepository loyalty) {
    this.loyalty = loyalty;
  }

  /**
   * In id order. Spring for GraphQL makes the connection from the window; the total travels in the
   * local context to {@link #totalCount}, since the connection it builds has no such field.
   */
  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<DataFetcherResult<Window<Customer>>> customersByLoyalty(
      @Argument LoyaltyFilter filter, @Argument Integer first, ScrollSubrange after) {
    int n = Paging.first(first, 50);
    LoyaltyFilter f = filter == null ? new LoyaltyFilter(null, null, null, null, null) : filter;
    String afterId = Paging.after(after, "id").map(k -> k.text("id")).orElse("");
    return Mono.zip(loyalty.page(f, afterId, n + 1), loyalty.count(f))
        .map(
            t ->
                DataFetcherResult.<Window<Customer>>newResult()
                    .data(Paging.window(t.getT1(), n, id -> Keyset.of("id", id)).map(Customer::new))
                    .localContext(GraphQLContext.of(Map.of(TOTAL_COUNT, t.getT2())))
                    .build());
  }

  @SchemaMapping(typeName = "LoyaltyConnection")
  int totalCount(@LocalContextValue int totalCount) {
    return totalCount;
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
