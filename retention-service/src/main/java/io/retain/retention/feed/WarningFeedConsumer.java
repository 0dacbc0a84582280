package io.retain.retention.feed;

import io.retain.retention.plan.PlanOpener;
import io.retain.retention.remote.CustomerClient;
import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.ScoringClient;
import io.retain.retention.remote.WarningEvent;
import io.retain.support.events.PositionWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads scoring's warning feed from the stored cursor and opens plans; each warning's plans and the
 * cursor move commit together, so a crash or an outage loses and duplicates nothing.
 */
@Service
public class WarningFeedConsumer {

  static final String FEED = "scoring.warningFeed";

  private final ScoringClient scoring;
  private final CustomerClient customers;
  private final PlanOpener opener;
  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final int pageSize;

  WarningFeedConsumer(
      ScoringClient scoring,
      CustomerClient customers,
      PlanOpener opener,
      DatabaseClient db,
      TransactionalOperator tx,
      @Value("${retain.warning-feed.page-size:500}") int pageSize) {
    this.scoring = scoring;
    this.customers = customers;
    this.opener = opener;
    this.db = db;
    this.tx = tx;
    this.pageSize = pageSize;
  }

  public Mono<Long> cursor() {
    return db.sql("select last_seq from feed_cursor where feed = :feed")
        .bind("feed", FEED)
        .map(r -> r.get(0, Long.class))
        .one();
  }

  /** Processes one page after the cursor; emits how many warnings were consumed. */
  public Mono<Integer> pollOnce() {
    return cursor()
        .flatMap(after -> scoring.warningFeed(after, pageSize))
        .flatMap(page -> apply(page, i -> advance(page.get(i).seq())));
  }

  /**
   * The consumer logic, the same under both transports: opens each warning's plans and, in the same
   * transaction, stores the position through that warning (the feed cursor, or Kafka offsets).
   * Emits how many warnings were consumed.
   */
  public Mono<Integer> apply(List<WarningEvent> page, PositionWriter position) {
    if (page.isEmpty()) {
      return Mono.just(0);
    }
    var ids = page.stream().map(WarningEvent::customerId).distinct().toList();
    return customers
        .customerProfiles(ids)
        .map(ps -> ps.stream().collect(Collectors.toMap(CustomerProfile::id, Function.identity())))
        .flatMap(profiles -> consume(page, profiles, position));
  }

  /** Polls until a page comes back short; emits the total consumed. */
  public Mono<Integer> drain() {
    return pollOnce()
        .expand(n -> n == pageSize ? pollOnce() : Mono.empty())
        .reduce(0, Integer::sum);
  }

  private Mono<Integer> consume(
      List<WarningEvent> page, Map<String, CustomerProfile> profiles, PositionWriter position) {
    return Flux.range(0, page.size())
        .concatMap(
            i ->
                opener
                    .open(page.get(i), profiles.get(page.get(i).customerId()))
                    .then(position.through(i))
                    .thenReturn(i)
                    .as(tx::transactional))
        .count()
        .map(Long::intValue);
  }

  private Mono<Void> advance(long seq) {
    return db.sql("update feed_cursor set last_seq = :seq where feed = :feed and last_seq < :seq")
        .bind("seq", seq)
        .bind("feed", FEED)
        .then();
  }
}
