package io.retain.scoring.rescoring;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Named positions in {@code feed_cursor}: the change feed's cursor and the history compaction's
 * watermark. A save joins the caller's transaction, so a cursor commits with the work it covers.
 */
@Component
class FeedCursors {

  /** A cursor moving from where the work started to the last event it covers. */
  record Move(String name, long from, long to) {}

  /**
   * The cursor was not where the work started: another replica applied the same events first (a
   * holder that stalled past its lease). The work's transaction rolls back, nothing is doubled.
   */
  static final class Moved extends IllegalStateException {
    Moved(Move move) {
      super(
          "feed cursor "
              + move.name()
              + " is no longer at "
              + move.from()
              + ": its events were applied elsewhere; this batch is rolled back");
    }
  }

  private final DatabaseClient db;

  FeedCursors(DatabaseClient db) {
    this.db = db;
  }

  /** The stored position, or {@code ifNone} before the first save. */
  Mono<Long> position(String name, long ifNone) {
    return db.sql("select position from feed_cursor where name = $1")
        .bind(0, name)
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .defaultIfEmpty(ifNone);
  }

  /**
   * Moves the cursor if it still stands at {@code move.from()} (or was never saved), else fails
   * with {@link Moved}. In a transaction the row lock makes a concurrent mover wait for this one's
   * commit and then find the cursor moved.
   */
  Mono<Void> advance(Move move) {
    return db.sql(
            "insert into feed_cursor (name, position) values ($1, $3) on conflict (name) do update"
                + " set position = excluded.position where feed_cursor.position = $2")
        .bind(0, move.name())
        .bind(1, move.from())
        .bind(2, move.to())
        .fetch()
        .rowsUpdated()
        .flatMap(n -> n == 0 ? Mono.<Void>error(new Moved(move)) : Mono.<Void>empty());
  }

  Mono<Void> save(String name, long position) {
    return db.sql(
            "insert into feed_cursor (name, position) values ($1, $2)"
                + " on conflict (name) do update set position = excluded.position")
        .bind(0, name)
        .bind(1, position)
        .fetch()
        .rowsUpdated()
        .then();
  }
}
