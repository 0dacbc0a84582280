package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerClient;
import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventTransport;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps scores current: polls customer-service's activity change feed, rescores the changed
 * customers as of today and stores the new cursor in the same transaction, so a restart or an
 * outage of customer-service loses nothing and a replay changes nothing.
 */
@Component
@ConditionalOnEventTransport(EventTransport.FEED)
@ConditionalOnProperty(
    name = "retain.scoring.change-feed.enabled",
    havingValue = "true",
    matchIfMissing = true)
class ChangeFeedPoller implements SmartLifecycle {

  static final String FEED = "customer-activity";
  private final CustomerClient customers;
  private final ActivityChanges consumer;
  private final FeedCursors cursors;
  private final FeedStatus status;
  private final Duration interval;
  private Disposable running;

  ChangeFeedPoller(
      CustomerClient customers,
      ActivityChanges consumer,
      FeedCursors cursors,
      FeedStatus status,
      @org.springframework.beans.factory.annotation.Value(
              "${retain.scoring.change-feed.interval:500ms}")
          Duration interval) {
    this.customers = customers;
    this.consumer = consumer;
    this.cursors = cursors;
    this.status = status;
    this.interval = interval;
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
                                  .toList();
                          return consumer
                              .apply(ids, last, cursors.save(FEED, last))
                              .doOnSuccess(n -> status.succeeded(last))
                              .thenReturn(changes.size());
                        }));
  }

  @Override
  public void start() {
    running =
        Flux.interval(interval)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    pollOnce()
                        .onErrorResume(
                            e -> {
                              // customer-service or the database down: stored scores keep being
                              // served; retry next tick (a customer that cannot be scored is set
                              // aside instead, and does not fail the poll)
                              status.failed(e);
                              return Mono.just(0);
                            }),
                1)
            .subscribe();
  }

  @Override
  public void stop() {
    if (running != null) {
      running.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return running != null && !running.isDisposed();
  }
}
