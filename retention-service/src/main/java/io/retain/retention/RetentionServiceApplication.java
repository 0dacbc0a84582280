package io.retain.retention;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** retention-service: Owns playbooks, action plans, campaigns and their measured effect. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RetentionServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(RetentionServiceApplication.class, args);
  }

  /** Every computation takes an explicit asOf; "now" comes from this clock. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
