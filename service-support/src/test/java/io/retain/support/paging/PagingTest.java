package io.retain.support.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.pagination.EncodingCursorStrategy;
import org.springframework.graphql.data.query.ScrollSubrange;

/** The one paging rule of every subgraph, and cursors that stay what clients already hold. */
class PagingTest {

  final EncodingCursorStrategy<ScrollPosition> cursors = KeysetCursorStrategy.encoded();

  ScrollSubrange range(Integer first, String after) {
    return ScrollSubrange.create(after == null ? null : cursors.fromCursor(after), first, true);
  }

  @Test
  void firstTakesTheFieldsDefaultAndIsRefusedOutsideOneToAThousand() {
    assertThat(Paging.first(null, 20)).isEqualTo(20);
    assertThat(Paging.first(1, 20)).isEqualTo(1);
    assertThat(Paging.first(1000, 50)).isEqualTo(1000);
    for (int bad : new int[] {0, -1, 1001}) {
      ApiException e = catchThrowableOfType(ApiException.class, () -> Paging.first(bad, 20));
      assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
      assertThat(e.field()).isEqualTo("first");
      assertThat(e.expected()).isEqualTo("1 to 1000");
      assertThat(e.getMessage()).isEqualTo("first " + bad + " is out of range");
    }
  }

  @Test
  void scrollSubrangeDropsANegativeFirstSoPagingReadsTheArgumentItself() {
    // the reason Paging.first takes the argument, not ScrollSubrange.count()
    assertThat(ScrollSubrange.create(null, -1, true).count()).isEmpty();
    assertThat(ScrollSubrange.create(null, 0, true).count()).hasValue(0);
  }

  @Test
  void cursorsAreTheKeyValuesJoinedByABarAsBeforeWindow() {
    Instant at = Instant.parse("2026-03-01T10:15:30.123456Z");
    Window<String> w = Paging.window(List.of("O|7", "O2"), 2, id -> Keyset.of("at", at, "id", id));
    assertThat(cursors.toCursor(w.positionAt(0))).isEqualTo(Cursors.encode(at + "|O|7"));
    Window<String> ids = Paging.window(List.of("C001"), 5, id -> Keyset.of("id", id));
    assertThat(cursors.toCursor(ids.positionAt(0))).isEqualTo(Cursors.encode("C001"));
  }

  @Test
  void aCursorComesBackAsItsNamedKeysTheLastTakingTheRest() {
    Instant at = Instant.parse("2026-03-01T10:15:30.123456Z");
    Keyset k = Paging.after(range(5, Cursors.encode(at + "|O|7")), "at", "id").orElseThrow();
    Instant back = k.parse("at", Instant::parse);
    assertThat(back).isEqualTo(at);
    assertThat(k.text("id")).isEqualTo("O|7");
    Keyset plan = Paging.after(range(5, Cursors.encode("2026-07-14|12")), "due", "id").get();
    LocalDate due = plan.parse("due", LocalDate::parse);
    long id = plan.parse("id", Long::parseLong);
    assertThat(due).isEqualTo(LocalDate.parse("2026-07-14"));
    assertThat(id).isEqualTo(12L);
    assertThat(Paging.after(range(5, null), "id")).isEmpty();
  }

  @Test
  void aForeignCursorIsRefusedNamingAfter() {
    for (String bad : List.of(Cursors.encode("no-bar"), Cursors.encode("yesterday|X1"), "%%%")) {
      ApiException e =
          catchThrowableOfType(
              ApiException.class,
              () ->
                  Paging.after(range(5, bad), "at", "id")
                      .orElseThrow()
                      .parse("at", Instant::parse));
      assertThat(e.code()).as(bad).isEqualTo("BAD_USER_INPUT");
      assertThat(e.field()).isEqualTo("after");
      assertThat(e.expected()).isEqualTo("a cursor returned by this API");
    }
    ApiException offset =
        catchThrowableOfType(
            ApiException.class,
            () -> Paging.after(ScrollSubrange.create(ScrollPosition.offset(3), 5, true), "id"));
    assertThat(offset.field()).isEqualTo("after");
  }

  @Test
  void aWindowCutsTheExtraRowAndSaysWhetherMoreFollow() {
    Window<Integer> more = Paging.window(List.of(1, 2, 3), 2, i -> Keyset.of("id", i));
    assertThat(more.getContent()).containsExactly(1, 2);
    assertThat(more.hasNext()).isTrue();
    assertThat(cursors.toCursor(more.positionAt(1))).isEqualTo(Cursors.encode("2"));
    Window<Integer> last = Paging.window(List.of(1, 2), 2, i -> Keyset.of("id", i));
    assertThat(last.getContent()).containsExactly(1, 2);
    assertThat(last.hasNext()).isFalse();
    assertThat(Paging.window(List.<Integer>of(), 2, i -> Keyset.of("id", i)).isEmpty()).isTrue();
  }
}
