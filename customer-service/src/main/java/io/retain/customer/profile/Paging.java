package io.retain.customer.profile;

import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Relay paging rules of the profile API: page sizes, cursors, and cutting a page from rows. */
final class Paging {

  static final int DEFAULT_FIRST = 20;
  static final int MAX_FIRST = 500;

  private Paging() {}

  /** Relay page info. */
  record PageInfo(boolean hasNextPage, @Nullable String endCursor) {}

  /** A page: at most {@code first} items and whether more follow. */
  record Page<E>(List<E> items, PageInfo pageInfo) {}

  /** Position of a history item: its time and id, newest first. */
  record Position(Instant at, String id) {}

  /** The page size asked for, default 20, refused outside 1..500. */
  static int first(@Nullable Integer first) {
    int n = first == null ? DEFAULT_FIRST : first;
    if (n < 1 || n > MAX_FIRST) {
      throw ApiException.badInput("first", "1 to " + MAX_FIRST, "first " + n + " is out of range");
    }
    return n;
  }

  /** The cursor of a history item. */
  static String historyCursor(Instant at, String id) {
    return Cursors.encode(at + "|" + id);
  }

  /** The position a history cursor points at, or null for the first page. */
  static @Nullable Position historyPosition(@Nullable String after) {
    if (after == null) {
      return null;
    }
    String pos = Cursors.decode(after, "after");
    int bar = pos.indexOf('|');
    if (bar < 0) {
      throw badCursor();
    }
    try {
      return new Position(Instant.parse(pos.substring(0, bar)), pos.substring(bar + 1));
    } catch (DateTimeParseException e) {
      throw badCursor();
    }
  }

  /**
   * The page of {@code first} items from {@code rows}, read with one row more than asked so the
   * extra row tells whether a next page exists.
   */
  static <T, E> Page<E> page(
      List<T> rows, int first, Function<T, E> edge, Function<E, String> cursor) {
    boolean more = rows.size() > first;
    List<E> edges = (more ? rows.subList(0, first) : rows).stream().map(edge).toList();
    return new Page<>(
        edges,
        new PageInfo(more, edges.isEmpty() ? null : cursor.apply(edges.get(edges.size() - 1))));
  }

  private static ApiException badCursor() {
    return ApiException.badInput("after", "a cursor returned by this API", "Bad cursor");
  }
}
