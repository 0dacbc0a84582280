package io.retain.customer.activity;

import java.time.Instant;

/** One change in the activity feed. */
record ActivityChange(long seq, String customerId, Instant changedAt) {}
