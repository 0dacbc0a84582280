package io.retain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The launcher's Kafka mode: the switch, an embedded broker that answers, or the given one. */
class LocalKafkaTest {

  @Test
  void kafkaIsSelectedOnlyByRetainEventsKafka() {
    assertThat(LocalKafka.selected(Map.of("RETAIN_EVENTS", "kafka"))).isTrue();
    assertThat(LocalKafka.selected(Map.of("RETAIN_EVENTS", " KAFKA "))).isTrue();
    assertThat(LocalKafka.selected(Map.of("RETAIN_EVENTS", "http"))).isFalse();
    assertThat(LocalKafka.selected(Map.of())).isFalse();
  }

  @Test
  void givenBrokersAreUsedAsTheyAre() {
    try (LocalKafka k =
        LocalKafka.start(
            Map.of("RETAIN_EVENTS", "kafka", "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"))) {
      assertThat(k.serviceEnv())
          .isEqualTo(
              Map.of("RETAIN_EVENTS", "kafka", "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"));
    }
  }

  @Test
  void withoutBrokersAnEmbeddedKraftBrokerStartsAndAnswers() throws Exception {
    try (LocalKafka k = LocalKafka.start(Map.of("RETAIN_EVENTS", "kafka"));
        AdminClient admin =
            AdminClient.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers()))) {
      assertThat(k.serviceEnv()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", k.bootstrapServers());
      assertThat(admin.describeCluster().nodes().get(60, TimeUnit.SECONDS)).hasSize(1);
    }
  }
}
