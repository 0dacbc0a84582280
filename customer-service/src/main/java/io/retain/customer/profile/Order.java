package io.retain.customer.profile;

import java.time.Instant;

/** One order of a customer as the API shows it. */
record Order(
    String id,
    Instant placedAt,
    double amount,
    String currency,
    String channel,
    String status,
    boolean test) {}
