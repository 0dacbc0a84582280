package io.retain.support.events;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A consumer's logic, the same under both transports: applies a batch of events in order and, in
 * the same transaction as their effects, stores the position through the last event that
 * transaction covers (one transaction for the batch, or one per event).
 */
@FunctionalInterface
public interface EventBatchHandler<E extends SequencedEvent> {

  Mono<?> apply(List<E> events, PositionWriter position);
}
