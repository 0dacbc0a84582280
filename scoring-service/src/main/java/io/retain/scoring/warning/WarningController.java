package io.retain.scoring.warning;

import io.retain.scoring.customer.Customer;
import io.retain.scoring.engine.RiskFactor;
import io.retain.support.graphql.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Early warnings: the cursor feed retention-service consumes, and a customer's warnings. */
@Controller
class WarningController {

  private final DatabaseClient db;
  private final ObjectMapper json = new ObjectMapper();

  private final Duration streamInterval;
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(WarningController.class);

  WarningController(
      DatabaseClient db,
      @Value("${retain.scoring.warning-stream.interval:500ms}") Duration streamInterval) {
    this.db = db;
    this.streamInterval = streamInterval;
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

  /**
   * Polls the warning table from the subscriber's cursor (the given {@code after}, else the newest
   * seq at subscription time) every {@code retain.scoring.warning-stream.interval}; the table is
   * the source of truth, so an event is never lost between polls and a client can resume.
   */
  @SubscriptionMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<WarningEvent> warningRaised(@Argument List<String> toTiers, @Argument Long after) {
    Mono<Long> start =
        after != null
            ? Mono.just(after)
            : db.sql("select coalesce(max(seq), 0) as s from warning")
                .map((r, m) -> ((Number) r.get("s")).longValue())
                .one();
    return start.flatMapMany(
        from -> {
          AtomicLong cursor = new AtomicLong(from);
          return Flux.interval(Duration.ZERO, streamInterval)
              .onBackpressureDrop()
              .concatMap(
                  tick ->
                      db.sql(
                              "select "
                                  + COLUMNS
                                  + " from warning where seq > $1 order by seq limit 500")
                          .bind(0, cursor.get())
                          .map((r, m) -> map(r))
                          .all()
                          .doOnNext(w -> cursor.set(w.seq()))
                          // a slow or failed poll must not end the stream: the next tick resumes
                          // from the cursor, so nothing is skipped
                          .timeout(POLL_TIMEOUT)
                          .onErrorResume(
                              e -> {
                                log.warn("warning stream poll failed, retrying: {}", e.toString());
                                return Flux.empty();
                              }),
                  1)
              .filter(w -> toTiers == null || toTiers.isEmpty() || toTiers.contains(w.toTier()));
        });
  }

  /** The warning's customer as an entity reference, for the gateway to resolve. */
  @SchemaMapping(typeName = "WarningEvent")
  Customer customer(WarningEvent w) {
    return new Customer(w.customerId());
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
