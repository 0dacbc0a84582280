package io.retain.support.events.kafka;

import reactor.core.publisher.Flux;

/** A producer's outbox read in order: the rows after {@code position}, at most {@code limit}. */
@FunctionalInterface
public interface OutboxSource {

  Flux<OutboxMessage> after(long position, int limit);
}
