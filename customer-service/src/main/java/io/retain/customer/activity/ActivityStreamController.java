package io.retain.customer.activity;

import java.time.LocalDate;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * The bulk form of the aggregates for full rescoring: every customer in id order, read in keyset
 * pages and streamed as NDJSON as they are produced (memory bounded by one page).
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
    return pages(after, asOf, windowMonths);
  }

  Flux<CustomerActivity> pages(String after, LocalDate asOf, int w) {
    return activity
        .page(after, PAGE, asOf, w)
        .collectList()
        .flatMapMany(
            page ->
                page.size() < PAGE
                    ? Flux.fromIterable(page)
                    : Flux.fromIterable(page)
                        .concatWith(
                            Flux.defer(
                                () -> pages(page.get(page.size() - 1).customerId(), asOf, w))));
  }
}
