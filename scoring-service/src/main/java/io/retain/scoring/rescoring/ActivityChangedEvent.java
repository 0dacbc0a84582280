package io.retain.scoring.rescoring;

import io.retain.support.events.EventCodec;
import io.retain.support.events.SequencedEvent;
import java.time.Instant;

/**
 * A {@code customer-activity-changed} event as scoring reads it (schema version 1, docs/events/).
 */
record ActivityChangedEvent(int schemaVersion, long seq, String customerId, Instant changedAt)
    implements SequencedEvent {

  static final EventCodec<ActivityChangedEvent> CODEC =
      new EventCodec<>(
          ActivityChangedEvent.class, 1, e -> e.changedAt() == null ? "changedAt missing" : null);
}
