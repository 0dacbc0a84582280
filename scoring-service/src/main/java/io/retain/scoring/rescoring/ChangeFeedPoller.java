package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerClient;
import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventTransport;
import io.retain.support.jobs.JobLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps scores current over HTTP: polls customer-service's activity change feed from the stored
 * cursor and hands each page to {@link ActivityChangeConsumer} (which rescores and moves the cursor
 * in one transaction), so a restart or an outage of customer-service loses nothing and a replay
 * changes nothing. Only the replica holding the {@value #LEASE} lease polls.
 */
@Component
@ConditionalOnEventTransport(EventTransport.FEED)
@ConditionalOnProperty(
    name = "retain.scoring.change-feed.enabled",
    havingValue = "true",
    matchIfMissing = true)
class ChangeFeedPoller {

  private static final Logger log = LoggerFactory.getLogger(ChangeFeedPoller.class);
  static final String FEED = "customer-activity";
  static final String LEASE = "scoring.change-feed";
  private final CustomerClient customers;
  private final ActivityChangeConsumer consumer;
  private final FeedCursors cursors;
  private final FeedStatus status;
  private final JobLeases leases;

  ChangeFeedPoller(
      CustomerClient customers,
      ActivityChangeConsumer consumer,
      FeedCursors cursors,
      FeedStatus status,
      JobLeases leases) {
    this.customers = customers;
    this.consumer = consumer;
    this.cursors = cursors;
    this.status = status;
    this.leases = leases;
  }

  /** One round: read the cursor, fetch changes, apply them; returns how many changes. */
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
                          return consumer
                              .apply(changes, new FeedCursors.Move(FEED, cursor, last))
                              .doOnSuccess(n -> status.succeeded(last));
                        }));
  }

  // a Mono: Spring waits for it before the next delay, so polls never overlap
  @Scheduled(fixedDelayString = "${retain.scoring.change-feed.interval:500ms}")
  Mono<Void> poll() {
    return leases
        .runIfOwner(LEASE, this::pollOnce)
        .onErrorResume(
            FeedCursors.Moved.class,
            e -> {
              // another replica applied these changes first (this one held a lapsed lease)
              log.info("{}", e.getMessage());
              return Mono.just(0);
            })
        .onErrorResume(
            e -> {
              // customer-service or the database down: stored scores keep being served;
              // retry
              // next tick (a customer that cannot be scored is set aside instead, and does
              // not
              // fail the poll)
              status.failed(e);
              return Mono.just(0);
            })
        .then();
  }
}
