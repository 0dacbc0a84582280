package io.retain.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  final RestartBackoff backoff = RestartBackoff.DEFAULT;

  @Test
  void delaysDoubleFromOneSecondAndStopAtAMinute() {
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aCrashAfterAStableRunStartsTheCountAgain() {
    assertThat(backoff.next(5, Duration.ofMinutes(5))).isEqualTo(1);
    assertThat(backoff.next(5, Duration.ofMinutes(4))).isEqualTo(6);
    assertThat(backoff.next(1, Duration.ZERO)).isEqualTo(2);
  }

  @Test
  void refusesAPolicyThatCouldSpinOrShrink() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO));
    assertThatIllegalArgumentException().isThrownBy(() -> backoff.delay(0));
  }
}
