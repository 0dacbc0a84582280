package io.retain.customer.activity;

import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventCodec;
import io.retain.support.events.EventTransport;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.events.kafka.OutboxMessage;
import io.retain.support.events.kafka.OutboxRelay;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
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
  NewTopic customerActivityChangedTopic(
      @Value("${retain.events.partitions:6}") int partitions,
      @Value("${retain.events.replicas:1}") short replicas) {
    return KafkaEvents.topic(KafkaEvents.CUSTOMER_ACTIVITY_CHANGED, partitions, replicas);
  }

  @Bean
  OutboxRelay activityRelay(
      OutcomeRepository outbox,
      KafkaTemplate<String, String> kafka,
      DatabaseClient db,
      TransactionalOperator tx,
      @Value("${retain.events.relay.batch:1000}") int batch,
      @Value("${retain.events.relay.interval:200ms}") Duration interval) {
    return new OutboxRelay(
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
        batch,
        interval);
  }
}
