package io.retain.scoring.rescoring;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Customers that could not be scored, with the reason ({@code scoring_set_aside}). The batch writer
 * removes a customer's row when it scores it; a new failure counts another attempt.
 */
@Repository
public class SetAsideRepository {

  /** One customer set aside: why, when first and last, how often, and at which feed position. */
  public record SetAside(
      String customerId,
      String reason,
      Instant firstSeen,
      Instant lastSeen,
      int attempts,
      @Nullable Long feedPosition) {}

  private final DatabaseClient db;
  private final Clock clock;

  SetAsideRepository(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Sets a customer aside (again): the newest reason and position, one more attempt. */
  Mono<Void> record(String customerId, String reason, @Nullable Long feedPosition) {
    var spec =
        db.sql(
                """
                insert into scoring_set_aside as s (customer_id, reason, first_seen, last_seen,
                  attempts, feed_position)
                values ($1, $2, $3, $3, 1, $4)
                on conflict (customer_id) do update set reason = excluded.reason,
                  last_seen = excluded.last_seen, attempts = s.attempts + 1,
                  feed_position = excluded.feed_position
                """)
            .bind(0, customerId)
            .bind(1, reason)
            .bind(2, clock.instant());
    spec = feedPosition == null ? spec.bindNull(3, Long.class) : spec.bind(3, feedPosition);
    return spec.fetch().rowsUpdated().then();
  }

  /** A page of set-aside customers after an id, in id order. */
  public Mono<List<SetAside>> page(String afterId, int limit) {
    return db.sql(
            "select customer_id, reason, first_seen, last_seen, attempts, feed_position"
                + " from scoring_set_aside where customer_id > $1 order by customer_id limit $2")
        .bind(0, afterId)
        .bind(1, limit)
        .map(
            (r, m) ->
                new SetAside(
                    r.get("customer_id", String.class),
                    r.get("reason", String.class),
                    r.get("first_seen", OffsetDateTime.class).toInstant(),
                    r.get("last_seen", OffsetDateTime.class).toInstant(),
                    r.get("attempts", Integer.class),
                    r.get("feed_position", Long.class)))
        .all()
        .collectList();
  }

  /** How many customers are set aside now. */
  public Mono<Long> count() {
    return db.sql("select count(*) from scoring_set_aside")
        .map((r, m) -> ((Number) r.get(0)).longValue())
        .one();
  }
}
