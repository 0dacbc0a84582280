package io.retain.customer.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The internal API's argument rules, without a database. */
class InternalRequestsTest {

  @Test
  void idsAreTrimmedUpperCasedAndDeduplicatedInOrder() {
    assertThat(InternalRequests.ids(List.of(" c002", "C001 ", "c002", "C003")))
        .containsExactly("C002", "C001", "C003");
  }

  @Test
  void moreThanFiveThousandIdsAreRefused() {
    assertThat(InternalRequests.ids(Collections.nCopies(5000, "c1"))).containsExactly("C1");
    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> InternalRequests.ids(Collections.nCopies(5001, "c1")));
    assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
    assertThat(e.field()).isEqualTo("ids");
    assertThat(e.expected()).isEqualTo("at most 5000 ids");
  }

  @Test
  void windowAndLimitHaveDefaultsAndBounds() {
    assertThat(InternalRequests.windowMonths(null)).isEqualTo(12);
    assertThat(InternalRequests.windowMonths(120)).isEqualTo(120);
    assertThat(InternalRequests.changeLimit(null)).isEqualTo(1000);
    assertThat(InternalRequests.changeLimit(10_000)).isEqualTo(10_000);
    ApiException w =
        catchThrowableOfType(ApiException.class, () -> InternalRequests.windowMonths(0));
    assertThat(w.field()).isEqualTo("windowMonths");
    assertThat(w.expected()).isEqualTo("1 to 120");
    ApiException l =
        catchThrowableOfType(ApiException.class, () -> InternalRequests.changeLimit(10_001));
    assertThat(l.field()).isEqualTo("limit");
    assertThat(l.expected()).isEqualTo("1 to 10000");
  }

  @Test
  void aPeriodEndingBeforeItStartsIsRefusedOnTo() {
    LocalDate day = LocalDate.parse("2026-03-01");
    InternalRequests.period(day, day);
    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> InternalRequests.period(day, day.minusDays(1)));
    assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
    assertThat(e.field()).isEqualTo("to");
    assertThat(e.expected()).isEqualTo("a date on or after from");
  }
}
