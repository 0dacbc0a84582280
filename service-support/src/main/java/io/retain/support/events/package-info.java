/** Events between services: one consumer contract, two transports (HTTP feed, Kafka). */
@org.jspecify.annotations.NullMarked
package io.retain.support.events;
