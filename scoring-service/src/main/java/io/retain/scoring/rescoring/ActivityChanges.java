package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerClient;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The activity change feed's consumer logic, the same under both transports: rescores the customers
 * a batch of changes names, as of today, and stores the feed position (a cursor, or Kafka offsets)
 * in the transaction that stores their scores.
 */
@Component
class ActivityChanges {

  private final CustomerClient customers;
  private final RescoringService rescoring;
  private final Clock clock;

  ActivityChanges(CustomerClient customers, RescoringService rescoring, Clock clock) {
    this.customers = customers;
    this.rescoring = rescoring;
    this.clock = clock;
  }

  /**
   * Rescores {@code customerIds} (repeats allowed); {@code position} is recorded with a customer
   * set aside. Emits how many customers were scored.
   */
  Mono<Long> apply(List<String> customerIds, long position, Mono<Void> savePosition) {
    List<String> ids = customerIds.stream().distinct().toList();
    LocalDate today = LocalDate.now(clock);
    return customers
        .activity(ids, today, 12)
        .collectList()
        .flatMap(batch -> rescoring.store(batch, today, position, savePosition));
  }
}
