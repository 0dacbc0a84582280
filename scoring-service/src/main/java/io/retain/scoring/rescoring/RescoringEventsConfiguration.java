package io.retain.scoring.rescoring;

import io.micrometer.observation.ObservationRegistry;
import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventTransport;
import io.retain.support.events.SequencedEvent;
import io.retain.support.events.kafka.KafkaEventListener;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.events.kafka.KafkaEventsProperties;
import org.apache.kafka.clients.admin.NewTopic;
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

  /**
   * The topic it reads, declared here too (as customer-service does): started first, this service
   * creates it with the configured partitions instead of the broker's default, whose later increase
   * a consumer sees only at its next metadata refresh (retention's WarningEventsConfiguration).
   */
  @Bean
  NewTopic customerActivityChangedTopic(KafkaEventsProperties kafka) {
    return kafka.topic(KafkaEvents.CUSTOMER_ACTIVITY_CHANGED);
  }

  @Bean
  NewTopic customerActivityChangedDeadLetters(KafkaEventsProperties kafka) {
    return kafka.topic(KafkaEvents.CUSTOMER_ACTIVITY_CHANGED + KafkaEventListener.DLT_SUFFIX);
  }

  @Bean
  ConcurrentMessageListenerContainer<String, String> rescoringConsumer(
      KafkaEventsProperties settings,
      ConsumerFactory<String, String> consumers,
      KafkaTemplate<String, String> kafka,
      DatabaseClient db,
      ActivityChanges changes,
      ObservationRegistry observations) {
    return settings.consumer(
        consumers,
        kafka,
        db,
        KafkaEvents.CUSTOMER_ACTIVITY_CHANGED,
        GROUP,
        ActivityChangedEvent.CODEC,
        (events, position) ->
            changes.apply(
                events.stream().map(SequencedEvent::customerId).toList(),
                events.stream().mapToLong(SequencedEvent::seq).max().orElse(0),
                position.through(events.size() - 1)),
        observations);
  }
}
