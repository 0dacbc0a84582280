package io.retain.scoring.warning;

import io.retain.scoring.customer.Customer;
import io.retain.scoring.engine.RiskFactor;
import io.retain.support.graphql.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Early warnings: the cursor feed retention-service consumes, and a customer's warnings. */
@Controller
class WarningController {

  private final DatabaseClient db;
  private final ObjectMapper json = new ObjectMapper();

  WarningController(DatabaseClient db) {
    this.db = db;
  }

  record WarningEvent(
      long seq,
      String customerId,
      LocalDate asOf,
      Instant createdAt,
      String fromTier,
      String toTier,
      Double scoreBefore,
      Double scoreAfter,
      List<String> reasons,
      List<RiskFactor> riskFactors) {}

  static final String COLUMNS =
      "seq, customer_id, as_of, created_at, from_tier, to_tier, score_before, score_after, reasons,"
          + " risk_factors::text as risk_factors";

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Flux<WarningEvent> warningFeed(@Argument Long after, @Argument Integer limit) {
    int l = limit == null ? 500 : limit;
    if (l < 1 || l > 5000) {
      throw ApiException.badInput("limit", "1 to 5000", "limit " + l + " is out of range");
    }
    return db.sql("select " + COLUMNS + " from warning where seq > $1 order by seq limit $2")
        .bind(0, after == null ? 0L : after)
        .bind(1, l)
        .map((r, m) -> map(r))
        .all();
  }

  @SchemaMapping(typeName = "Customer")
  Flux<WarningEvent> warnings(Customer customer) {
    return db.sql(
            "select "
                + COLUMNS
                + " from warning where customer_id = $1 order by seq desc limit 100")
        .bind(0, customer.id())
        .map((r, m) -> map(r))
        .all();
  }

  WarningEvent map(io.r2dbc.spi.Readable r) {
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
