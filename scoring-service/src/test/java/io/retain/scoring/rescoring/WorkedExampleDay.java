package io.retain.scoring.rescoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * "Today" for the change-feed poller is the worked example's date, so its scores are the example's.
 */
@TestConfiguration
class WorkedExampleDay {

  @Bean
  @Primary
  Clock workedExampleClock() {
    Instant day = Instant.parse("2026-06-30T06:00:00Z");
    return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), day));
  }
}
