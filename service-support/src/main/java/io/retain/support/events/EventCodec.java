package io.retain.support.events;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes one event type as JSON with a {@code schemaVersion} (docs/events/*.schema.json).
 * Fields unknown to this version are ignored, so a producer may add optional fields without a new
 * version; anything else a reader cannot use is an {@link InvalidEventException} with the reason.
 */
public final class EventCodec<E extends SequencedEvent> {

  public static final String SCHEMA_VERSION = "schemaVersion";
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private final Class<E> type;
  private final int version;
  private final Function<E, @Nullable String> problem;

  /**
   * @param problem what is wrong with a decoded event (a required field missing…), or null
   */
  public EventCodec(Class<E> type, int version, Function<E, @Nullable String> problem) {
    this.type = type;
    this.version = version;
    this.problem = problem;
  }

  /** The event as JSON; the record carries its own {@code schemaVersion}. */
  public static String write(Object event) {
    return JSON.writeValueAsString(event);
  }

  /** The event in {@code json}, checked; throws {@link InvalidEventException} saying why not. */
  public E read(@Nullable String json) {
    if (json == null || json.isBlank()) {
      throw new InvalidEventException("empty value: expected a JSON object");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new InvalidEventException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (!tree.isObject()) {
      throw new InvalidEventException("expected a JSON object, got " + tree.getNodeType());
    }
    JsonNode v = tree.get(SCHEMA_VERSION);
    if (v == null || !v.isInt()) {
      throw new InvalidEventException(SCHEMA_VERSION + " missing or not an integer");
    }
    if (v.intValue() != version) {
      throw new InvalidEventException(
          SCHEMA_VERSION + " " + v.intValue() + " is not supported (expected " + version + ")");
    }
    E event;
    try {
      event = JSON.treeToValue(tree, type);
    } catch (JacksonException e) {
      throw new InvalidEventException("does not match the schema: " + e.getOriginalMessage(), e);
    }
    if (event.seq() < 1) {
      throw new InvalidEventException("seq " + event.seq() + " is not positive");
    }
    if (event.customerId() == null || event.customerId().isBlank()) {
      throw new InvalidEventException("customerId missing");
    }
    String wrong = problem.apply(event);
    if (wrong != null) {
      throw new InvalidEventException(wrong);
    }
    return event;
  }
}
