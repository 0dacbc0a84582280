package io.retain.scoring.rescoring;

import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventTransport;
import io.retain.support.events.SequencedEvent;
import io.retain.support.events.kafka.KafkaEventListener;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.events.kafka.OffsetStore;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Under {@code RETAIN_EVENTS=kafka}: incremental rescoring from {@code customer-activity-changed}
 * in the consumer group {@value #GROUP} (instead of polling the HTTP change feed), with the same
 * consumer logic ({@link ActivityChanges}) and the offsets stored with the scores.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEventTransport(EventTransport.KAFKA)
class RescoringEventsConfiguration {

  static final String GROUP = "scoring-rescoring";

  @Bean
  NewTopic customerActivityChangedDeadLetters(
      @Value("${retain.events.partitions:6}") int partitions,
      @Value("${retain.events.replicas:1}") short replicas) {
    return KafkaEvents.topic(
        KafkaEvents.CUSTOMER_ACTIVITY_CHANGED + KafkaEventListener.DLT_SUFFIX,
        partitions,
        replicas);
  }

  @Bean
  ConcurrentMessageListenerContainer<String, String> rescoringConsumer(
      ConsumerFactory<String, String> consumers,
      KafkaTemplate<String, String> kafka,
      DatabaseClient db,
      ActivityChanges changes,
      @Value("${retain.events.concurrency:1}") int concurrency,
      @Value("${retain.events.batch-timeout:5m}") Duration timeout,
      @Value("${retain.events.retry:2s}") Duration retry) {
    KafkaEventListener<ActivityChangedEvent> listener =
        new KafkaEventListener<>(
            ActivityChangedEvent.CODEC,
            (events, position) ->
                changes.apply(
                    events.stream().map(SequencedEvent::customerId).toList(),
                    events.stream().mapToLong(SequencedEvent::seq).max().orElse(0),
                    position.through(events.size() - 1)),
            new OffsetStore(db, GROUP),
            kafka,
            timeout);
    return KafkaEvents.container(
        consumers, KafkaEvents.CUSTOMER_ACTIVITY_CHANGED, GROUP, concurrency, listener, retry);
  }
}
