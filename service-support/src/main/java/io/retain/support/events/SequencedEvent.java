package io.retain.support.events;

/**
 * An event from a producer's outbox: {@code seq} is the outbox row's sequence number (increasing in
 * commit order per producer), which lets a consumer drop a copy the relay published twice.
 */
public interface SequencedEvent {

  long seq();

  /** The partitioning key: events of one customer stay in order. */
  String customerId();
}
