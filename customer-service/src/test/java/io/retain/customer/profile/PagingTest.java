package io.retain.customer.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profile API's paging rules, without a database. */
class PagingTest {

  @Test
  void firstDefaultsToTwentyAndIsRefusedOutsideOneToFiveHundred() {
    assertThat(Paging.first(null)).isEqualTo(20);
    assertThat(Paging.first(1)).isEqualTo(1);
    assertThat(Paging.first(500)).isEqualTo(500);
    for (int bad : new int[] {0, -1, 501}) {
      ApiException e = catchThrowableOfType(ApiException.class, () -> Paging.first(bad));
      assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
      assertThat(e.field()).isEqualTo("first");
      assertThat(e.expected()).isEqualTo("1 to 500");
    }
  }

  @Test
  void aHistoryCursorComesBackAsItsPosition() {
    Instant at = Instant.parse("2026-03-01T10:15:30.123456Z");
    assertThat(Paging.historyPosition(Paging.historyCursor(at, "O|7")))
        .isEqualTo(new Paging.Position(at, "O|7"));
    assertThat(Paging.historyPosition(null)).isNull();
  }

  @Test
  void aForeignCursorIsRefusedNamingAfter() {
    for (String bad : List.of(Cursors.encode("no-bar"), Cursors.encode("yesterday|X1"), "%%%")) {
      ApiException e = catchThrowableOfType(ApiException.class, () -> Paging.historyPosition(bad));
      assertThat(e.code()).as(bad).isEqualTo("BAD_USER_INPUT");
      assertThat(e.field()).isEqualTo("after");
      assertThat(e.expected()).isEqualTo("a cursor returned by this API");
    }
  }

  @Test
  void aPageCutsTheExtraRowAndEndsAtTheLastCursor() {
    Paging.Page<String> more = Paging.page(List.of(1, 2, 3), 2, i -> "e" + i, e -> "c" + e);
    assertThat(more.items()).containsExactly("e1", "e2");
    assertThat(more.pageInfo()).isEqualTo(new Paging.PageInfo(true, "ce2"));
    Paging.Page<String> last = Paging.page(List.of(1, 2), 2, i -> "e" + i, e -> "c" + e);
    assertThat(last.pageInfo()).isEqualTo(new Paging.PageInfo(false, "ce2"));
    Paging.Page<String> empty = Paging.page(List.<Integer>of(), 2, i -> "e" + i, e -> "c" + e);
    assertThat(empty.items()).isEmpty();
    assertThat(empty.pageInfo()).isEqualTo(new Paging.PageInfo(false, null));
  }
}
