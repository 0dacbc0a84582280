package io.retain.support.paging;

import io.retain.support.graphql.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;

/**
 * A row's place in a keyset order: its sort keys by name, in order (for example {@code at}, then
 * {@code id}). Its values leave as text in a cursor, so reading one back parses it, and a value
 * that does not parse is a foreign cursor (BAD_USER_INPUT on {@code after}).
 */
public record Keyset(Map<String, String> values) {

  public Keyset {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** One key. */
  public static Keyset of(String name, Object value) {
    return new Keyset(Map.of(name, String.valueOf(value)));
  }

  /** Two keys, in this order. */
  public static Keyset of(String name1, Object value1, String name2, Object value2) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(name1, String.valueOf(value1));
    m.put(name2, String.valueOf(value2));
    return new Keyset(m);
  }

  /** The value of a key as it was written. */
  public String text(String name) {
    String v = values.get(name);
    if (v == null) {
      throw Paging.badCursor();
    }
    return v;
  }

  /**
   * The value of a key parsed, e.g. {@code Instant::parse}; a value that does not parse is a bad
   * cursor.
   */
  public <T> T parse(String name, Function<String, T> parser) {
    try {
      return parser.apply(text(name));
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Paging.badCursor();
    }
  }

  /** As Spring Data's keyset position, which a {@code Window} carries per row. */
  KeysetScrollPosition position() {
    return ScrollPosition.forward(values);
  }

  /** The keys of a position read back from a cursor, named in their order. */
  static Keyset from(KeysetScrollPosition position, List<String> names) {
    Object text = position.getKeys().get(KeysetCursorStrategy.TEXT);
    if (text == null) {
      throw Paging.badCursor();
    }
    // the last key takes the rest: an id may itself contain the separator
    String[] parts = text.toString().split("\\|", names.size());
    if (parts.length != names.size()) {
      throw Paging.badCursor();
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      m.put(names.get(i), parts[i]);
    }
    return new Keyset(m);
  }
}
