package io.retain.customer.profile;

import java.time.Instant;

/** One survey answer of a customer. */
record Survey(
    String id, Instant answeredAt, int score, Integer csat, String comment, Boolean wouldMention) {}
