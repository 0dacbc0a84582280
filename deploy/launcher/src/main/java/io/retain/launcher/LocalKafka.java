package io.retain.launcher;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Kafka for a local run under {@code RETAIN_EVENTS=kafka}: the brokers in {@code
 * KAFKA_BOOTSTRAP_SERVERS} when set, otherwise one embedded KRaft broker in the launcher's JVM
 * (spring-kafka-test; starts in seconds, no Docker). The services create their topics. The embedded
 * broker keeps no data between runs, while the services keep their consumer offsets in their
 * databases: start the Kafka mode with {@code --fresh}, or give it a broker of your own.
 */
public final class LocalKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

  /** Partitions per topic the embedded broker creates by default. */
  static final int PARTITIONS = 4;

  private final EmbeddedKafkaKraftBroker broker;
  private final String bootstrapServers;

  private LocalKafka(EmbeddedKafkaKraftBroker broker, String bootstrapServers) {
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
  }

  /** Whether the environment selects the Kafka transport ({@code RETAIN_EVENTS=kafka}). */
  public static boolean selected(Map<String, String> env) {
    return "kafka".equalsIgnoreCase(env.getOrDefault("RETAIN_EVENTS", "").trim());
  }

  /**
   * The Kafka the services use: {@code KAFKA_BOOTSTRAP_SERVERS} if set, else a started embedded
   * broker. Call only when {@link #selected}.
   */
  public static LocalKafka start(Map<String, String> env) {
    String given = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "").trim();
    if (!given.isEmpty()) {
      log.info("Kafka: {} (KAFKA_BOOTSTRAP_SERVERS)", given);
      return new LocalKafka(null, given);
    }
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
    broker.brokerProperty("num.partitions", String.valueOf(PARTITIONS));
    broker.afterPropertiesSet();
    log.info("Kafka: embedded KRaft broker at {}", broker.getBrokersAsString());
    return new LocalKafka(broker, broker.getBrokersAsString());
  }

  /** The environment every service gets: the transport switch and the brokers. */
  public Map<String, String> serviceEnv() {
    return Map.of("RETAIN_EVENTS", "kafka", "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Stops the embedded broker (a broker given in the environment is left alone). */
  @Override
  public void close() {
    if (broker != null) {
      broker.destroy();
    }
  }
}
