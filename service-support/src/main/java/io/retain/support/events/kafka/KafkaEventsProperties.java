package io.retain.support.events.kafka;

import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The Kafka transport's settings ({@code retain.kafka.*}) and the beans every service builds from
 * them: its topics, its outbox relay, its consumer group.
 *
 * @param partitions of each topic the service creates (keyed by customer id)
 * @param replicas of each topic the service creates
 * @param concurrency consumers per replica in a group
 * @param batchTimeout longest a batch may take to apply
 * @param retry pause before a failed batch is tried again (from the stored offsets)
 * @param relay the outbox relay's batch size and pause between rounds
 */
@ConfigurationProperties("retain.kafka")
public record KafkaEventsProperties(
    @DefaultValue("6") int partitions,
    @DefaultValue("1") short replicas,
    @DefaultValue("1") int concurrency,
    @DefaultValue("5m") Duration batchTimeout,
    @DefaultValue("2s") Duration retry,
    @DefaultValue Relay relay) {

  /** The outbox relay's rows per round and pause between rounds. */
  public record Relay(@DefaultValue("1000") int batch, @DefaultValue("200ms") Duration interval) {}

  public NewTopic topic(String name) {
    return KafkaEvents.topic(name, partitions, replicas);
  }

  /** The relay of {@code topic}, each round with rows observed (a trace of its own). */
  public OutboxRelay relay(
      String topic,
      OutboxSource outbox,
      KafkaOperations<String, String> kafka,
      DatabaseClient db,
      TransactionalOperator tx,
      ObservationRegistry observations) {
    return new OutboxRelay(
        topic, outbox, kafka, db, tx, relay.batch(), relay.interval(), observations);
  }

  /**
   * A consumer group of {@code concurrency} consumers per replica, offsets in {@code db}; each
   * batch observed (a trace of its own).
   */
  public <E extends io.retain.support.events.SequencedEvent>
      ConcurrentMessageListenerContainer<String, String> consumer(
          ConsumerFactory<String, String> consumers,
          KafkaOperations<String, String> deadLetters,
          DatabaseClient db,
          String topic,
          String group,
          io.retain.support.events.EventCodec<E> codec,
          io.retain.support.events.EventBatchHandler<E> handler,
          ObservationRegistry observations) {
    KafkaEventListener<E> listener =
        new KafkaEventListener<>(
            codec, handler, new OffsetStore(db, group), deadLetters, batchTimeout, observations);
    return KafkaEvents.container(consumers, topic, group, concurrency, listener, retry);
  }
}
