package io.retain.customer;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** customer-service: the source of truth for who the customers are and what they did. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CustomerServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(CustomerServiceApplication.class, args);
  }

  /** Every computation takes an explicit asOf; "now" comes from this clock. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
