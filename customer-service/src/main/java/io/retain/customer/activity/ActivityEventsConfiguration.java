package io.retain.customer.activity;

import io.micrometer.observation.ObservationRegistry;
import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventCodec;
import io.retain.support.events.EventTransport;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.events.kafka.KafkaEventsProperties;
import io.retain.support.events.kafka.OutboxMessage;
import io.retain.support.events.kafka.OutboxRelay;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Under {@code RETAIN_EVENTS=kafka}: the activity change feed's outbox relayed to {@code
 * customer-activity-changed}. The HTTP feed stays served either way.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEventTransport(EventTransport.KAFKA)
class ActivityEventsConfiguration {

  @Bean
  NewTopic customerActivityChangedTopic(KafkaEventsProperties kafka) {
    return kafka.topic(KafkaEvents.CUSTOMER_ACTIVITY_CHANGED);
  }

  @Bean
  OutboxRelay activityRelay(
      KafkaEventsProperties settings,
      OutcomeRepository outbox,
      KafkaTemplate<String, String> kafka,
      DatabaseClient db,
      TransactionalOperator tx,
      ObservationRegistry observations) {
    return settings.relay(
        KafkaEvents.CUSTOMER_ACTIVITY_CHANGED,
        (after, limit) ->
            outbox
                .changes(after, limit)
                .map(
                    c ->
                        new OutboxMessage(
                            c.seq(), c.customerId(), EventCodec.write(ActivityChangedEvent.of(c)))),
        kafka,
        db,
        tx,
        observations);
  }
}
