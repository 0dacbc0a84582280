package io.retain.customer.activity;

import java.time.Instant;

/**
 * Schema version 1 of the {@code customer-activity-changed} event (docs/events/): the same facts as
 * a row of the activity change feed, keyed by customer id.
 */
record ActivityChangedEvent(int schemaVersion, long seq, String customerId, Instant changedAt) {

  static final int VERSION = 1;

  static ActivityChangedEvent of(ActivityChange c) {
    return new ActivityChangedEvent(VERSION, c.seq(), c.customerId(), c.changedAt());
  }
}
