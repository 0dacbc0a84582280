package io.retain.support.events;

import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * How events travel between services, chosen by {@code retain.events} (env {@code RETAIN_EVENTS}):
 * the HTTP-polled feeds by default, Kafka when one machine is outgrown.
 */
public enum EventTransport {
  /** Outbox tables read over HTTP with cursors; needs nothing but the services. */
  FEED,
  /** The outboxes relayed to Kafka topics, consumed in consumer groups. */
  KAFKA;

  public static final String PROPERTY = "retain.events";

  /**
   * The transport the environment selects; an unknown value stops the start with what is allowed.
   */
  public static EventTransport of(Environment env) {
    String value = env.getProperty(PROPERTY, "feed").trim();
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          PROPERTY + " (RETAIN_EVENTS) is '" + value + "'; expected 'feed' or 'kafka'", e);
    }
  }
}
