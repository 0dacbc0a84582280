/** The Kafka transport: outbox relay, consumers with offsets stored beside their effects, DLT. */
@org.jspecify.annotations.NullMarked
package io.retain.support.events.kafka;
