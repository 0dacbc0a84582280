package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerClient;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
@ConditionalOnProperty(
    name = "retain.scoring.change-feed.enabled",
    havingValue = "true",
    matchIfMissing = true)
class ChangeFeedPoller implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ChangeFeedPoller.class);
  static final String FEED = "customer-activity";
  private final CustomerClient customers;
  private final RescoringService rescoring;
  private final FeedCursors cursors;
  private final Clock clock;
  private final Duration interval;
  private Disposable running;

  ChangeFeedPoller(
      CustomerClient customers,
      RescoringService rescoring,
      FeedCursors cursors,
      Clock clock,
      @org.springframework.beans.factory.annotation.Value(
              "${retain.scoring.change-feed.interval:500ms}")
          Duration interval) {
    this.customers = customers;
    this.rescoring = rescoring;
    this.cursors = cursors;
    this.clock = clock;
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
                            return Mono.just(0);
                          }
                          long last = changes.get(changes.size() - 1).seq();
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
                              // customer-service down or refusing: stored scores keep being served;
                              // retry next tick
                              log.debug("Change feed poll failed: {}", e.toString());
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
