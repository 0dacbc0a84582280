package io.retain.retention.feed;

import io.retain.retention.remote.ScoringClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The HTTP transport of scoring's warning feed: reads pages after the stored cursor and hands each
 * to {@link WarningConsumer}, whose plans and cursor moves commit together, so a crash or an outage
 * loses and duplicates nothing.
 */
@Service
public class WarningFeedConsumer {

  private final ScoringClient scoring;
  private final WarningConsumer consumer;
  private final int pageSize;

  WarningFeedConsumer(
      ScoringClient scoring,
      WarningConsumer consumer,
      @Value("${retain.warning-feed.page-size:500}") int pageSize) {
    this.scoring = scoring;
    this.consumer = consumer;
    this.pageSize = pageSize;
  }

  public Mono<Long> cursor() {
    return consumer.cursor();
  }

  /** Processes one page after the cursor; emits how many warnings were consumed. */
  public Mono<Integer> pollOnce() {
    return cursor()
        .flatMap(
            after ->
                scoring.warningFeed(after, pageSize).flatMap(page -> consumer.apply(page, after)));
  }

  /** Polls until a page comes back short; emits the total consumed. */
  public Mono<Integer> drain() {
    return pollOnce()
        .expand(n -> n == pageSize ? pollOnce() : Mono.empty())
        .reduce(0, Integer::sum);
  }
}
