package io.retain.scoring.warning;

import io.retain.scoring.customer.Customer;
import io.retain.scoring.engine.RiskFactor;
import io.retain.support.graphql.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Early warnings: the cursor feed retention-service consumes, and a customer's warnings. */
@Controller
class WarningController {

  private final WarningRepository warnings;

  private final Duration streamInterval;
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(WarningController.class);

  WarningController(
      WarningRepository warnings,
      @Value("${retain.scoring.warning-stream.interval:500ms}") Duration streamInterval) {
    this.warnings = warnings;
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

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Flux<WarningEvent> warningFeed(@Argument Long after, @Argument Integer limit) {
    int l = limit == null ? 500 : limit;
    if (l < 1 || l > 5000) {
      throw ApiException.badInput("limit", "1 to 5000", "limit " + l + " is out of range");
    }
    return warnings.after(after == null ? 0L : after, l);
  }

  /**
   * Polls the warning table from the subscriber's cursor (the given {@code after}, else the newest
   * seq at subscription time) every {@code retain.scoring.warning-stream.interval}; the table is
   * the source of truth, so an event is never lost between polls and a client can resume.
   */
  @SubscriptionMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<WarningEvent> warningRaised(@Argument List<String> toTiers, @Argument Long after) {
    Mono<Long> start = after != null ? Mono.just(after) : warnings.newestSeq();
    return start.flatMapMany(
        from -> {
          AtomicLong cursor = new AtomicLong(from);
          return Flux.interval(Duration.ZERO, streamInterval)
              .onBackpressureDrop()
              .concatMap(
                  tick ->
                      warnings
                          .after(cursor.get(), 500)
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
  @PreAuthorize("hasRole('ANALYST')")
  Flux<WarningEvent> warnings(Customer customer) {
    return warnings.ofCustomer(customer.id());
  }
}
