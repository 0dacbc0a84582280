package io.retain.scoring.warning;

import io.retain.scoring.messages.Texts;
import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventCodec;
import io.retain.support.events.EventTransport;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.events.kafka.OutboxMessage;
import io.retain.support.events.kafka.OutboxRelay;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Under {@code RETAIN_EVENTS=kafka}: the warning table relayed to {@code loyalty-warning-raised}.
 * The HTTP warning feed and the subscription stay served either way.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEventTransport(EventTransport.KAFKA)
class WarningEventsConfiguration {

  @Bean
  NewTopic loyaltyWarningRaisedTopic(
      @Value("${retain.events.partitions:6}") int partitions,
      @Value("${retain.events.replicas:1}") short replicas) {
    return KafkaEvents.topic(KafkaEvents.LOYALTY_WARNING_RAISED, partitions, replicas);
  }

  @Bean
  OutboxRelay warningRelay(
      WarningRepository warnings,
      Texts texts,
      KafkaTemplate<String, String> kafka,
      DatabaseClient db,
      TransactionalOperator tx,
      @Value("${retain.events.relay.batch:1000}") int batch,
      @Value("${retain.events.relay.interval:200ms}") Duration interval) {
    return new OutboxRelay(
        KafkaEvents.LOYALTY_WARNING_RAISED,
        (after, limit) ->
            warnings
                .after(after, limit)
                .map(
                    w ->
                        new OutboxMessage(
                            w.seq(),
                            w.customerId(),
                            EventCodec.write(
                                WarningRaisedEvent.of(w, f -> texts.riskMessage(f, Locale.ROOT))))),
        kafka,
        db,
        tx,
        batch,
        interval);
  }
}
