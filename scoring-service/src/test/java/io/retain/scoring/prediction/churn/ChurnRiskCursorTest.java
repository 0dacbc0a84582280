package io.retain.scoring.prediction.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retain.scoring.prediction.churn.ChurnRiskCursor.Sort;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import org.junit.jupiter.api.Test;

class ChurnRiskCursorTest {

  @Test
  void aCursorComesBackAsTheSamePositionExactly() {
    var c = new ChurnRiskCursor(Sort.PROBABILITY, -1.0 / 3, "C:7");
    assertThat(ChurnRiskCursor.decode(c.encode(), Sort.PROBABILITY)).isEqualTo(c);
    // unknown CLV: the lost value's key is NaN
    var unknown = new ChurnRiskCursor(Sort.EXPECTED_LOST_VALUE, Double.NaN, "K0001");
    ChurnRiskCursor back = ChurnRiskCursor.decode(unknown.encode(), Sort.EXPECTED_LOST_VALUE);
    assertThat(back.key()).isNaN();
    assertThat(back.customerId()).isEqualTo("K0001");
  }

  @Test
  void anythingButACursorOfThisListInThisSortIsBadInputOnAfter() {
    String byProbability = new ChurnRiskCursor(Sort.PROBABILITY, -0.5, "K1").encode();
    for (String[] bad :
        new String[][] {
          {"not base64 %%", "PROBABILITY"},
          {Cursors.encode("50"), "PROBABILITY"}, // an offset cursor of the old API
          {byProbability, "EXPECTED_LOST_VALUE"},
          {Cursors.encode("PROBABILITY:half:K1"), "PROBABILITY"},
          {Cursors.encode("PROBABILITY:-0.5:"), "PROBABILITY"},
          {Cursors.encode("PROBABILITY:NaN:K1"), "PROBABILITY"},
          {Cursors.encode("PROBABILITY:-2.0:K1"), "PROBABILITY"}
        }) {
      assertThatThrownBy(() -> ChurnRiskCursor.decode(bad[0], Sort.valueOf(bad[1])))
          .as(bad[0])
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
                assertThat(e.field()).isEqualTo("after");
              });
    }
  }
}
