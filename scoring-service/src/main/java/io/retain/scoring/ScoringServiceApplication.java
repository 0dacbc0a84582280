package io.retain.scoring;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * scoring-service: Owns metrics, weight profiles, loyalty scores, tiers, risk factors, RFM, value,
 * score history and early warnings.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
// periodic jobs are @Scheduled methods returning Mono (rescoring: change feed, history, watchdog)
@EnableScheduling
public class ScoringServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(ScoringServiceApplication.class, args);
  }

  /** Every computation takes an explicit asOf; "now" comes from this clock. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
