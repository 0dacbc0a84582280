package io.retain.support.events.kafka;

import io.retain.support.events.EventCodec;
import io.retain.support.events.SequencedEvent;

/** The tests' event: a customer's balance moved by {@code amount} (adding is not idempotent). */
record Moved(int schemaVersion, long seq, String customerId, int amount) implements SequencedEvent {

  static final EventCodec<Moved> CODEC =
      new EventCodec<>(Moved.class, 1, m -> m.amount() == 0 ? "amount 0 moves nothing" : null);

  static Moved of(long seq, int customers) {
    return new Moved(1, seq, "c" + (seq % customers), (int) (seq % 7) + 1);
  }

  String json() {
    return EventCodec.write(this);
  }
}
