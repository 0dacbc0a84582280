package io.retain.customer.importing;

import io.retain.support.graphql.ApiException;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/** Lists what imports refused, so a data steward can correct and re-submit it. */
@Controller
class QuarantineController {

  /** The most rows one page lists; a larger {@code first} is capped to it. */
  static final int MAX_FIRST = 1000;

  private final DatabaseClient db;

  QuarantineController(DatabaseClient db) {
    this.db = db;
  }

  record QuarantinedRow(
      String id, String entity, long rowNumber, String column, String reason, String raw) {}

  @QueryMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Flux<QuarantinedRow> quarantine(@Argument String entity, @Argument Integer first) {
    if (first != null && first < 0) {
      throw ApiException.badInput(
          "first", "0 to " + MAX_FIRST, "first must not be negative, got " + first);
    }
    return db.sql(
            "select id, entity, row_number, column_name, reason, raw from quarantine_row"
                + " where resolved_at is null and ($1 = '' or entity = $1) order by id limit $2")
        .bind(0, entity == null ? "" : entity)
        .bind(1, first == null ? 100 : Math.min(first, MAX_FIRST))
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
}
