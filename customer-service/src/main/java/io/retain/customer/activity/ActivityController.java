package io.retain.customer.activity;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The internal API other services call (role SERVICE): aggregates, the change feed, outcomes. */
@Controller
class ActivityController {

  private final ActivityRepository activity;
  private final OutcomeRepository outcomes;

  ActivityController(ActivityRepository activity, OutcomeRepository outcomes) {
    this.activity = activity;
    this.outcomes = outcomes;
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Mono<List<CustomerActivity>> customerActivity(
      @Argument List<String> ids, @Argument LocalDate asOf, @Argument Integer windowMonths) {
    int w = InternalRequests.windowMonths(windowMonths);
    List<String> clean = InternalRequests.ids(ids);
    return inOrder(clean, activity.forIds(clean, asOf, w), CustomerActivity::customerId);
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Flux<ActivityChange> activityChanges(@Argument Long after, @Argument Integer limit) {
    int l = InternalRequests.changeLimit(limit);
    return outcomes.changes(after == null ? 0L : after, l);
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Mono<List<CustomerProfile>> customerProfiles(@Argument List<String> ids) {
    List<String> clean = InternalRequests.ids(ids);
    return inOrder(clean, outcomes.profiles(clean), CustomerProfile::id);
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Mono<List<CustomerOutcome>> customerOutcomes(
      @Argument List<String> ids, @Argument LocalDate from, @Argument LocalDate to) {
    InternalRequests.period(from, to);
    List<String> clean = InternalRequests.ids(ids);
    return inOrder(clean, outcomes.outcomes(clean, from, to), CustomerOutcome::customerId);
  }

  /** The rows in the order of the ids asked for; ids without a row are left out. */
  private static <T> Mono<List<T>> inOrder(List<String> ids, Flux<T> rows, Function<T, String> id) {
    return rows.collectMap(id, Function.identity())
        .map(
            (Map<String, T> byId) ->
                ids.stream().filter(byId::containsKey).map(byId::get).toList());
  }
}
