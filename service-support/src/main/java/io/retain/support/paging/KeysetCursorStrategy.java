package io.retain.support.paging;

import io.retain.support.graphql.Cursors;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.graphql.data.pagination.CursorEncoder;
import org.springframework.graphql.data.pagination.CursorStrategy;
import org.springframework.graphql.data.pagination.EncodingCursorStrategy;

/**
 * Cursors for keyset positions, kept as the services wrote them before Spring's {@code Window}: the
 * key values in order, joined by {@code |} ({@code C001}, {@code 2026-03-01T10:15:30Z|O7}, {@code
 * 2026-07-14|12}), then base64url without padding ({@link #encoded()}). A cursor carries no key
 * names (they are the field's, see {@link Paging#after}), so a cursor a client holds from before
 * this change still works.
 */
public final class KeysetCursorStrategy implements CursorStrategy<ScrollPosition> {

  /** The key under which a position read from a cursor holds its decoded text. */
  static final String TEXT = "cursor";

  /** This strategy with its encoding: what Spring for GraphQL uses for every connection. */
  public static EncodingCursorStrategy<ScrollPosition> encoded() {
    return CursorStrategy.withEncoder(new KeysetCursorStrategy(), new Base64Url());
  }

  @Override
  public boolean supports(Class<?> targetType) {
    return ScrollPosition.class.isAssignableFrom(targetType);
  }

  @Override
  public String toCursor(ScrollPosition position) {
    if (!(position instanceof KeysetScrollPosition keyset) || keyset.isInitial()) {
      throw new IllegalArgumentException("Only keyset positions of rows have cursors: " + position);
    }
    Map<String, Object> keys = keyset.getKeys();
    return keys.values().stream().map(String::valueOf).collect(Collectors.joining("|"));
  }

  @Override
  public ScrollPosition fromCursor(String cursor) {
    return ScrollPosition.forward(Map.of(TEXT, cursor));
  }

  /** base64url without padding; a cursor that is not is BAD_USER_INPUT on {@code after}. */
  static final class Base64Url implements CursorEncoder {
    @Override
    public String encode(String cursor) {
      return Cursors.encode(cursor);
    }

    @Override
    public String decode(String cursor) {
      return Cursors.decode(cursor, "after");
    }
  }
}
