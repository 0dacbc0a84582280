package io.retain.support.events;

import io.retain.support.config.AutoConfigurationExcludes;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves Boot's Kafka auto-configuration out unless {@code retain.events=kafka}: with the HTTP
 * feeds (the default, and {@code deploy/run-local}) no Kafka client, factory or admin bean is
 * created. With Kafka, {@code KAFKA_BOOTSTRAP_SERVERS} names the brokers.
 */
class EventsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  static final String KAFKA_AUTO_CONFIGURATION =
      "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (EventTransport.of(env) == EventTransport.KAFKA) {
      // the one switch the launcher and the manifests set; spring.kafka.* still wins if given
      env.getPropertySources()
          .addLast(
              new MapPropertySource(
                  "retainEventsKafka",
                  Map.of(
                      "spring.kafka.bootstrap-servers",
                      env.getProperty("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"))));
      return;
    }
    AutoConfigurationExcludes.add(env, "retainEventsFeedOnly", List.of(KAFKA_AUTO_CONFIGURATION));
  }

  @Override
  public int getOrder() {
    // after the config files are read (ConfigDataEnvironmentPostProcessor), so they may select
    // kafka
    return Ordered.LOWEST_PRECEDENCE;
  }
}
