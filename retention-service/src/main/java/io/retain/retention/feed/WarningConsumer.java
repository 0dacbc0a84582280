package io.retain.retention.feed;

import io.retain.retention.plan.PlanOpener;
import io.retain.retention.remote.ChurnRisk;
import io.retain.retention.remote.CustomerClient;
import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.ScoringClient;
import io.retain.retention.remote.WarningEvent;
import io.retain.support.events.PositionWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The warning feed's consumer logic, whatever carries the warnings (the HTTP poll today, a Kafka
 * topic): opens the plans each warning calls for and moves the cursor from the previous warning to
 * this one in the same transaction. The move is a compare-and-set, so a warning applied a second
 * time (by another replica, or one whose lease lapsed) rolls back with {@link CursorMoved}; a
 * replay after a cursor reset opens nothing new (one open plan per problem).
 */
@Service
public class WarningConsumer {

  static final String FEED = "scoring.warningFeed";

  private final CustomerClient customers;
  private final ScoringClient scoring;
  private final PlanOpener opener;
  private final DatabaseClient db;
  private final TransactionalOperator tx;

  WarningConsumer(
      CustomerClient customers,
      ScoringClient scoring,
      PlanOpener opener,
      DatabaseClient db,
      TransactionalOperator tx) {
    this.customers = customers;
    this.scoring = scoring;
    this.opener = opener;
    this.db = db;
    this.tx = tx;
  }

  /** The cursor was not where the warning's work started: it was applied elsewhere first. */
  public static final class CursorMoved extends IllegalStateException {
    CursorMoved(long from, long to) {
      super(
          "warning feed cursor is no longer at "
              + from
              + ": warning "
              + to
              + " was applied elsewhere; rolled back here");
    }
  }

  public Mono<Long> cursor() {
    return db.sql("select last_seq from feed_cursor where feed = :feed")
        .bind("feed", FEED)
        .map(r -> r.get(0, Long.class))
        .one();
  }

  /**
   * Applies a page of warnings in seq order read after cursor {@code from}; emits how many. The
   * customers' profiles are read first and, when a playbook rule has a churn minimum, their churn
   * risks in one request (customer-service, or then scoring, down: nothing is applied).
   */
  public Mono<Integer> apply(List<WarningEvent> page, long from) {
    return apply(page, i -> advance(i == 0 ? from : page.get(i - 1).seq(), page.get(i).seq()));
  }

  /**
   * The same logic under any transport: each warning's plans and, in the same transaction, the
   * position through it ({@code position}: the feed cursor above, or Kafka offsets).
   */
  public Mono<Integer> apply(List<WarningEvent> page, PositionWriter position) {
    if (page.isEmpty()) {
      return Mono.just(0);
    }
    var ids = page.stream().map(WarningEvent::customerId).distinct().toList();
    Mono<Map<String, ChurnRisk>> churn =
        opener
            .needChurnRisk()
            .flatMap(need -> need ? scoring.churnRisks(ids) : Mono.just(Map.of()));
    return customers
        .customerProfiles(ids)
        .map(ps -> ps.stream().collect(Collectors.toMap(CustomerProfile::id, Function.identity())))
        .zipWhen(profiles -> churn)
        .flatMap(t -> consume(page, t.getT1(), t.getT2(), position));
  }

  private Mono<Integer> consume(
      List<WarningEvent> page,
      Map<String, CustomerProfile> profiles,
      Map<String, ChurnRisk> churn,
      PositionWriter position) {
    return Flux.range(0, page.size())
        .concatMap(
            i ->
                opener
                    .open(
                        page.get(i),
                        profiles.get(page.get(i).customerId()),
                        probability(churn.get(page.get(i).customerId())))
                    .then(position.through(i))
                    .thenReturn(i)
                    .as(tx::transactional))
        .count()
        .map(Long::intValue);
  }

  private static @Nullable Double probability(@Nullable ChurnRisk risk) {
    return risk == null ? null : risk.probability();
  }

  private Mono<Void> advance(long from, long to) {
    return db.sql("update feed_cursor set last_seq = :to where feed = :feed and last_seq = :from")
        .bind("to", to)
        .bind("from", from)
        .bind("feed", FEED)
        .fetch()
        .rowsUpdated()
        .flatMap(n -> n == 0 ? Mono.<Void>error(new CursorMoved(from, to)) : Mono.<Void>empty());
  }
}
