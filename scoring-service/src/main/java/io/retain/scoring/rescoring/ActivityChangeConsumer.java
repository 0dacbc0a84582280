package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerClient.ActivityChange;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The HTTP change feed's side of {@link ActivityChanges} (the consumer logic both transports
 * share): the changed customers are rescored and the cursor moves from where the batch started to
 * its last change in the same transaction. A crash loses nothing, a replay changes nothing, and a
 * batch applied a second time (by another replica) rolls back with {@link FeedCursors.Moved}
 * instead of storing anything twice.
 */
@Component
class ActivityChangeConsumer {

  private final ActivityChanges changes;
  private final FeedCursors cursors;

  ActivityChangeConsumer(ActivityChanges changes, FeedCursors cursors) {
    this.changes = changes;
    this.cursors = cursors;
  }

  /** Applies {@code page} (in feed order, not empty) with the cursor move; emits how many. */
  Mono<Integer> apply(List<ActivityChange> page, FeedCursors.Move cursor) {
    List<String> ids = page.stream().map(ActivityChange::customerId).toList();
    return changes.apply(ids, cursor.to(), cursors.advance(cursor)).thenReturn(page.size());
  }
}
