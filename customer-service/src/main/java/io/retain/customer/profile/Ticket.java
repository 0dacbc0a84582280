package io.retain.customer.profile;

import java.time.Instant;

/** One service ticket of a customer. */
record Ticket(
    String id,
    Instant openedAt,
    Instant firstResponseAt,
    Instant resolvedAt,
    String category,
    boolean complaint,
    String severity) {}
