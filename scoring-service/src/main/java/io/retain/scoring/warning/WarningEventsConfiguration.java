package io.retain.scoring.warning;

import io.micrometer.observation.ObservationRegistry;
import io.retain.scoring.messages.Texts;
import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventCodec;
import io.retain.support.events.EventTransport;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.events.kafka.KafkaEventsProperties;
import io.retain.support.events.kafka.OutboxMessage;
import io.retain.support.events.kafka.OutboxRelay;
import java.util.Locale;
import org.apache.kafka.clients.admin.NewTopic;
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
  NewTopic loyaltyWarningRaisedTopic(KafkaEventsProperties kafka) {
    return kafka.topic(KafkaEvents.LOYALTY_WARNING_RAISED);
  }

  @Bean
  OutboxRelay warningRelay(
      KafkaEventsProperties settings,
      WarningRepository warnings,
      Texts texts,
      KafkaTemplate<String, String> kafka,
      DatabaseClient db,
      TransactionalOperator tx,
      ObservationRegistry observations) {
    // risk messages rendered in English, as the warning feed serves them by default
    return settings.relay(
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
        observations);
  }
}
