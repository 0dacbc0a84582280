package io.retain.retention.feed;

import io.micrometer.observation.ObservationRegistry;
import io.retain.retention.remote.WarningEvent;
import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventCodec;
import io.retain.support.events.EventTransport;
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
 * Under {@code RETAIN_EVENTS=kafka}: the plan opener reads {@code loyalty-warning-raised} in the
 * consumer group {@value #GROUP} (instead of polling the HTTP warning feed), with the same consumer
 * logic ({@link WarningConsumer#apply}) and the offsets stored with the plans.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEventTransport(EventTransport.KAFKA)
class WarningEventsConfiguration {

  static final String GROUP = "retention-plan-opener";

  /** Schema version 1; what the plan policy needs must be there. */
  static final EventCodec<WarningEvent> CODEC =
      new EventCodec<>(
          WarningEvent.class,
          1,
          w ->
              w.asOf() == null
                  ? "asOf missing"
                  : w.toTier() == null
                      ? "toTier missing"
                      : w.reasons() == null || w.riskFactors() == null
                          ? "reasons or riskFactors missing"
                          : null);

  /**
   * The topic it reads, declared here too: a consumer that starts before scoring-service would
   * otherwise have the broker auto-create it with the broker's default partition count, and
   * scoring's later increase reaches this consumer only at its next metadata refresh (5 min),
   * leaving the new partitions unread until then (seen in ReplicasEndToEndTest).
   */
  @Bean
  NewTopic loyaltyWarningRaisedTopic(KafkaEventsProperties kafka) {
    return kafka.topic(KafkaEvents.LOYALTY_WARNING_RAISED);
  }

  @Bean
  NewTopic loyaltyWarningRaisedDeadLetters(KafkaEventsProperties kafka) {
    return kafka.topic(KafkaEvents.LOYALTY_WARNING_RAISED + KafkaEventListener.DLT_SUFFIX);
  }

  @Bean
  ConcurrentMessageListenerContainer<String, String> planOpenerConsumer(
      KafkaEventsProperties settings,
      ConsumerFactory<String, String> consumers,
      KafkaTemplate<String, String> kafka,
      DatabaseClient db,
      WarningConsumer consumer,
      ObservationRegistry observations) {
    return settings.consumer(
        consumers,
        kafka,
        db,
        KafkaEvents.LOYALTY_WARNING_RAISED,
        GROUP,
        CODEC,
        (page, position) -> consumer.apply(page, position),
        observations);
  }
}
