package io.retain.support.events.kafka;

/** One outbox row ready to publish: its seq, the partitioning key and the event as JSON. */
public record OutboxMessage(long seq, String key, String json) {}
