package io.retain.support.paging;

import io.retain.support.graphql.ApiException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.query.ScrollSubrange;

/**
 * The paging rules of every subgraph: a controller takes {@code first} and Spring's {@link
 * ScrollSubrange} (the {@code after} position), reads one row more than {@link #first} from its
 * keyset query, and returns {@link #window}; Spring for GraphQL turns the {@link Window} into the
 * Relay connection, its cursors written by {@link KeysetCursorStrategy}.
 */
public final class Paging {

  /**
   * The largest page any field serves: {@code first} outside 1 to this is refused. 1000 is the
   * largest page a caller already asked for (retention pages scoring's customersByLoyalty by 1000).
   */
  public static final int MAX_FIRST = 1000;

  private Paging() {}

  /**
   * The page size asked for, {@code defaultFirst} when {@code first} is null. Read from the {@code
   * first} argument itself: {@link ScrollSubrange} turns a negative count into none, which would
   * serve a default page instead of refusing it.
   */
  public static int first(@Nullable Integer first, int defaultFirst) {
    int n = first == null ? defaultFirst : first;
    if (n < 1 || n > MAX_FIRST) {
      throw ApiException.badInput("first", "1 to " + MAX_FIRST, "first " + n + " is out of range");
    }
    return n;
  }

  /**
   * Where the page starts: the keys of the {@code after} cursor named in the field's sort order, or
   * empty for the first page. A cursor with another number of keys is refused.
   */
  public static Optional<Keyset> after(ScrollSubrange range, String... keys) {
    return range
        .position()
        .map(
            p -> {
              if (!(p instanceof KeysetScrollPosition keyset)) {
                throw badCursor();
              }
              return Keyset.from(keyset, List.of(keys));
            });
  }

  /**
   * The page of at most {@code first} rows from {@code rows}, which were read with one row more
   * than asked: that extra row only says a next page exists.
   */
  public static <T> Window<T> window(List<T> rows, int first, Function<T, Keyset> keyOf) {
    List<T> page = rows.size() > first ? rows.subList(0, first) : rows;
    return Window.from(page, i -> keyOf.apply(page.get(i)).position(), rows.size() > first);
  }

  static ApiException badCursor() {
    return ApiException.badInput(
        "after", "a cursor returned by this API", "The cursor is not one this API returned");
  }
}
