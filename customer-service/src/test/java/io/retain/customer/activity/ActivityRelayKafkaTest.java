package io.retain.customer.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.test.TestKafka;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * customer-service under {@code RETAIN_EVENTS=kafka} against an embedded KRaft broker: the activity
 * outbox is relayed to {@code customer-activity-changed}, one event per row with the row's facts
 * and a schema version, keyed by customer, in seq order within each partition, and marked.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"retain.events=kafka", "retain.kafka.relay.interval=200ms"})
@ActiveProfiles("test")
class ActivityRelayKafkaTest {

  static final TestKafka kafka = TestKafka.start();
  static final String TOPIC = KafkaEvents.CUSTOMER_ACTIVITY_CHANGED;

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
    registry.add("retain.kafka.partitions", () -> 3);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Autowired DatabaseClient db;

  @Test
  void theActivityOutboxIsRelayedInOrderPerCustomerWithItsSchemaVersionAndMarked() {
    for (int i = 0; i < 120; i++) {
      db.sql("insert into activity_change (customer_id) values ($1)")
          .bind(0, "K" + (i % 17))
          .then()
          .block();
    }
    long rows = count("select count(*) from activity_change");
    long maxSeq = count("select max(seq) from activity_change");
    await().atMost(Duration.ofSeconds(60)).until(() -> kafka.endOffsets(TOPIC) == rows);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("select coalesce(max(position), 0) from outbox_relay") == maxSeq);

    JsonMapper json = JsonMapper.builder().build();
    List<ConsumerRecord<String, String>> records = kafka.readAll(TOPIC);
    assertThat(records).hasSize((int) rows);
    Map<Integer, Long> lastSeqPerPartition = new HashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      JsonNode e = json.readTree(r.value());
      assertThat(e.path("schemaVersion").asInt()).isEqualTo(1);
      assertThat(e.path("customerId").asString()).isEqualTo(r.key());
      assertThat(e.path("changedAt").asString()).endsWith("Z");
      long seq = e.path("seq").asLong();
      assertThat(seq).isGreaterThan(lastSeqPerPartition.getOrDefault(r.partition(), 0L));
      lastSeqPerPartition.put(r.partition(), seq);
    }
    assertThat(records.stream().map(r -> r.partition()).distinct()).hasSize(3);
  }

  private long count(String sql) {
    return db.sql(sql).map((r, m) -> ((Number) r.get(0)).longValue()).one().block();
  }
}
