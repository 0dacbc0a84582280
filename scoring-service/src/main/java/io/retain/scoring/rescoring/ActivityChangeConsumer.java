package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerClient;
import io.retain.scoring.customer.CustomerClient.ActivityChange;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The change feed's consumer logic, whatever carries the changes (the HTTP poll today, a Kafka
 * topic next): rescores the changed customers as of today and moves the cursor from where the batch
 * started to its last change in the same transaction. A crash loses nothing, a replay changes
 * nothing, and a batch applied a second time (by another replica) rolls back with {@link
 * FeedCursors.Moved} instead of storing anything twice.
 */
@Component
class ActivityChangeConsumer {

  private final CustomerClient customers;
  private final RescoringService rescoring;
  private final Clock clock;

  ActivityChangeConsumer(CustomerClient customers, RescoringService rescoring, Clock clock) {
    this.customers = customers;
    this.rescoring = rescoring;
    this.clock = clock;
  }

  /** Applies {@code changes} (in feed order, not empty) with the cursor move; emits how many. */
  Mono<Integer> apply(List<ActivityChange> changes, FeedCursors.Move cursor) {
    List<String> ids = changes.stream().map(ActivityChange::customerId).distinct().toList();
    LocalDate today = LocalDate.now(clock);
    return customers
        .activity(ids, today, 12)
        .collectList()
        .flatMap(batch -> rescoring.store(batch, today, cursor))
        .thenReturn(changes.size());
  }
}
