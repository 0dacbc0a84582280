package io.retain.customer.importing;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The rows imports refused and left open for a data steward (table {@code quarantine_row}). */
@Repository
class QuarantineRepository {

  record QuarantinedRow(
      String id, String entity, long rowNumber, String column, String reason, String raw) {}

  private final DatabaseClient db;

  QuarantineRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Open rows by id, of one entity or (entity empty) of all, at most {@code limit}. */
  Flux<QuarantinedRow> open(String entity, int limit) {
    return db.sql(
            "select id, entity, row_number, column_name, reason, raw from quarantine_row"
                + " where resolved_at is null and ($1 = '' or entity = $1) order by id limit $2")
        .bind(0, entity)
        .bind(1, limit)
        .map(
            (r, m) ->
                new QuarantinedRow(
                    String.valueOf(r.get("id", Long.class)),
                    r.get("entity", String.class),
                    r.get("row_number", Long.class),
                    r.get("column_name", String.class),
                    r.get("reason", String.class),
                    r.get("raw", String.class)))
        .all();
  }

  /** The entity path of an open row; empty if there is no such row or it is resolved. */
  Mono<String> openEntity(long id) {
    return db.sql("select entity from quarantine_row where id = $1 and resolved_at is null")
        .bind(0, id)
        .map((r, m) -> r.get("entity", String.class))
        .one();
  }

  /** Marks a row resolved; the number of rows updated. */
  Mono<Long> resolve(long id) {
    return db.sql("update quarantine_row set resolved_at = now() where id = $1")
        .bind(0, id)
        .fetch()
        .rowsUpdated();
  }
}
