package io.retain.support.events.kafka;

import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventTransport;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Under {@code retain.events=kafka}: producers are idempotent with every replica acknowledging, and
 * consumers never commit on their own and start a partition nobody saved from its beginning.
 */
@AutoConfiguration
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnEventTransport(EventTransport.KAFKA)
@EnableConfigurationProperties(KafkaEventsProperties.class)
public class KafkaEventsAutoConfiguration {

  @Bean
  DefaultKafkaProducerFactoryCustomizer retainIdempotentProducer() {
    return f ->
        f.updateConfigs(
            Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"));
  }

  @Bean
  DefaultKafkaConsumerFactoryCustomizer retainConsumers() {
    return f ->
        f.updateConfigs(
            Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"));
  }
}
