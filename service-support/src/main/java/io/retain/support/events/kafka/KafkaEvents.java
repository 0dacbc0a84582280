package io.retain.support.events.kafka;

import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/** The topics and the listener container every consumer uses. */
public final class KafkaEvents {

  /** customer-service's activity outbox: whom to rescore. */
  public static final String CUSTOMER_ACTIVITY_CHANGED = "customer-activity-changed";

  /** scoring's warnings: which plans to open. */
  public static final String LOYALTY_WARNING_RAISED = "loyalty-warning-raised";

  private KafkaEvents() {}

  /** A topic keyed by customer id, or its dead-letter topic. */
  public static NewTopic topic(String name, int partitions, short replicas) {
    return TopicBuilder.name(name).partitions(partitions).replicas(replicas).build();
  }

  /**
   * A container of {@code concurrency} consumers in {@code group}. A batch that fails (database or
   * remote service away) is retried every {@code retry} until it succeeds: nothing of it committed,
   * so the retry starts again from the stored positions and nothing is skipped.
   */
  public static ConcurrentMessageListenerContainer<String, String> container(
      ConsumerFactory<String, String> consumers,
      String topic,
      String group,
      int concurrency,
      KafkaEventListener<?> listener,
      Duration retry) {
    ContainerProperties props = new ContainerProperties(topic);
    props.setGroupId(group);
    props.setMessageListener(listener);
    props.setConsumerRebalanceListener(listener);
    // Kafka's committed offsets only show the lag; the database's are the ones sought
    props.setAckMode(ContainerProperties.AckMode.BATCH);
    // a stop or a rebalance waits for the poll in progress: 1 s rather than 5
    props.setPollTimeout(1000);
    ConcurrentMessageListenerContainer<String, String> c =
        new ConcurrentMessageListenerContainer<>(consumers, props);
    c.setConcurrency(concurrency);
    c.setCommonErrorHandler(
        new DefaultErrorHandler(
            new FixedBackOff(retry.toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS)));
    c.setBeanName(group);
    return c;
  }
}
