package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerClient;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps scores current: polls customer-service's activity change feed, rescores the changed
 * customers as of today and stores the new cursor in the same transaction, so a restart or an
 * outage of customer-service loses nothing and a replay changes nothing.
 */
@Component
@ConditionalOnProperty(
    name = "retain.scoring.change-feed.enabled",
    havingValue = "true",
    matchIfMissing = true)
class ChangeFeedPoller {

  static final String FEED = "customer-activity";
  private final CustomerClient customers;
  private final RescoringService rescoring;
  private final FeedCursors cursors;
  private final FeedStatus status;
  private final Clock clock;

  ChangeFeedPoller(
      CustomerClient customers,
      RescoringService rescoring,
      FeedCursors cursors,
      FeedStatus status,
      Clock clock) {
    this.customers = customers;
    this.rescoring = rescoring;
    this.cursors = cursors;
    this.status = status;
    this.clock = clock;
  }

  /** One round: read the cursor, fetch changes, rescore them; returns how many changes. */
  Mono<Integer> pollOnce() {
    return cursors
        .position(FEED, 0L)
        .flatMap(
            cursor ->
                customers
                    .changes(cursor, 1000)
                    .collectList()
                    .flatMap(
                        changes -> {
                          if (changes.isEmpty()) {
                            status.succeeded(cursor);
                            return Mono.just(0);
                          }
                          long last = changes.get(changes.size() - 1).seq();
                          status.seen(last);
                          List<String> ids =
                              changes.stream()
                                  .map(CustomerClient.ActivityChange::customerId)
                                  .distinct()
                                  .toList();
                          LocalDate today = LocalDate.now(clock);
                          return customers
                              .activity(ids, today, 12)
                              .collectList()
                              .flatMap(
                                  batch -> rescoring.store(batch, today, Map.entry(FEED, last)))
                              .doOnSuccess(n -> status.succeeded(last))
                              .thenReturn(changes.size());
                        }));
  }

  // a Mono: Spring waits for it before the next delay, so polls never overlap
  @Scheduled(fixedDelayString = "${retain.scoring.change-feed.interval:500ms}")
  Mono<Void> poll() {
    return pollOnce()
        .onErrorResume(
            e -> {
              // customer-service or the database down: stored scores keep being served; retry
              // next tick (a customer that cannot be scored is set aside instead, and does not
              // fail the poll)
              status.failed(e);
              return Mono.just(0);
            })
        .then();
  }
}
