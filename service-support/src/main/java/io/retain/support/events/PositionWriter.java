package io.retain.support.events;

import reactor.core.publisher.Mono;

/**
 * Stores a consumer's position in its source (a feed cursor, or Kafka offsets) as covering the
 * events of a batch up to and including {@code index}. The returned Mono joins the caller's
 * transaction: the consumer logic subscribes it in the same transaction as the effects.
 */
@FunctionalInterface
public interface PositionWriter {

  Mono<Void> through(int index);
}
