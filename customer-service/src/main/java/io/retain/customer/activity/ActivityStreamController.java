package io.retain.customer.activity;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * The bulk form of the aggregates for full rescoring: every customer in id order, read in pages and
 * streamed as NDJSON as they are produced.
 */
@RestController
class ActivityStreamController {

  static final int PAGE = 2000;
  private final ActivityRepository activity;

  ActivityStreamController(ActivityRepository activity) {
    this.activity = activity;
  }

  @GetMapping(path = "/internal/activity", produces = MediaType.APPLICATION_NDJSON_VALUE)
  @PreAuthorize("hasRole('SERVICE')")
  Flux<CustomerActivity> stream(
      @RequestParam LocalDate asOf,
      @RequestParam(defaultValue = "12") int windowMonths,
      @RequestParam(required = false) String after) {
    // a Flux (not Mono<Flux>): the NDJSON encoder writes one line per element as it comes
    return pages(after, asOf, windowMonths, PAGE);
  }

  /**
   * Pages of {@code pageSize} customers between precomputed id bounds, two aggregated at a time and
   * emitted in order: PostgreSQL computes the next page while this one is encoded and consumed
   * (memory bounded by two pages).
   */
  Flux<CustomerActivity> pages(String after, LocalDate asOf, int w, int pageSize) {
    return activity
        .pageBounds(after, pageSize)
        .collectList()
        .flatMapMany(
            bounds -> {
              List<String> lows = new ArrayList<>();
              lows.add(after);
              lows.addAll(bounds);
              return Flux.range(0, lows.size())
                  .flatMapSequential(
                      i ->
                          activity.range(
                              lows.get(i), i < bounds.size() ? bounds.get(i) : null, asOf, w),
                      2);
            });
  }
}
