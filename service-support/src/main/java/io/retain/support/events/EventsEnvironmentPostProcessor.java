package io.retain.support.events;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Leaves Boot's Kafka auto-configuration out unless {@code retain.events=kafka}: with the HTTP
 * feeds (the default, and {@code deploy/run-local}) no Kafka client, factory or admin bean is
 * created. With Kafka, {@code KAFKA_BOOTSTRAP_SERVERS} names the brokers.
 */
class EventsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  static final String KAFKA_AUTO_CONFIGURATION =
      "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration";
  private static final String EXCLUDE = "spring.autoconfigure.exclude";

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
    // keep whatever the application excludes already: this source wins over theirs
    Set<String> excluded =
        new LinkedHashSet<>(
            StringUtils.commaDelimitedListToSet(env.getProperty(EXCLUDE, String.class, "")));
    excluded.add(KAFKA_AUTO_CONFIGURATION);
    env.getPropertySources()
        .addFirst(
            new MapPropertySource(
                "retainEventsFeedOnly",
                Map.of(EXCLUDE, StringUtils.collectionToCommaDelimitedString(excluded))));
  }

  @Override
  public int getOrder() {
    // after the config files are read (ConfigDataEnvironmentPostProcessor), so they may select
    // kafka
    return Ordered.LOWEST_PRECEDENCE;
  }
}
