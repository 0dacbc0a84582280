package io.retain.support.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CursorsTest {

  @Test
  void roundTripsAPosition() {
    String c = Cursors.encode("2026-06-30|C001");
    assertThat(c).doesNotContain("|");
    assertThat(Cursors.decode(c, "after")).isEqualTo("2026-06-30|C001");
  }

  @Test
  void garbageCursorIsBadUserInputNamingTheField() {
    assertThatThrownBy(() -> Cursors.decode("***", "after"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
              assertThat(e.field()).isEqualTo("after");
              assertThat(e.expected()).isEqualTo("a cursor returned by this API");
            });
  }
}
