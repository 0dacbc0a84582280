package io.retain.scoring.warning;

import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.warning.WarningController.WarningEvent;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Stored warnings ({@code warning}): the feed by seq, the newest seq, a customer's warnings. */
@Repository
class WarningRepository {

  static final String COLUMNS =
      "seq, customer_id, as_of, created_at, from_tier, to_tier, score_before, score_after, reasons,"
          + " risk_factors::text as risk_factors";

  private final DatabaseClient db;
  private final ObjectMapper json = new ObjectMapper();

  WarningRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Warnings after a seq, oldest first. */
  Flux<WarningEvent> after(long seq, int limit) {
    return db.sql("select " + COLUMNS + " from warning where seq > $1 order by seq limit $2")
        .bind(0, seq)
        .bind(1, limit)
        .map((r, m) -> map(r))
        .all();
  }

  /** The newest seq (0 when there is none). */
  Mono<Long> newestSeq() {
    return db.sql("select coalesce(max(seq), 0) as s from warning")
        .map((r, m) -> ((Number) r.get("s")).longValue())
        .one();
  }

  /** A customer's warnings, newest first (at most 100). */
  Flux<WarningEvent> ofCustomer(String customerId) {
    return db.sql(
            "select "
                + COLUMNS
                + " from warning where customer_id = $1 order by seq desc limit 100")
        .bind(0, customerId)
        .map((r, m) -> map(r))
        .all();
  }

  private WarningEvent map(io.r2dbc.spi.Readable r) {
    return new WarningEvent(
        r.get("seq", Long.class),
        r.get("customer_id", String.class),
        r.get("as_of", LocalDate.class),
        r.get("created_at", OffsetDateTime.class).toInstant(),
        r.get("from_tier", String.class),
        r.get("to_tier", String.class),
        r.get("score_before") == null ? null : ((Number) r.get("score_before")).doubleValue(),
        r.get("score_after") == null ? null : ((Number) r.get("score_after")).doubleValue(),
        List.of(r.get("reasons", String[].class)),
        json.readValue(
            r.get("risk_factors", String.class), new TypeReference<List<RiskFactor>>() {}));
  }
}
