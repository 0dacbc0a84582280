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
