package io.retain.retention.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retain.retention.plan.WorkedExampleTestData;
import io.retain.retention.remote.WarningEvent;
import io.retain.support.events.EventCodec;
import io.retain.support.events.kafka.KafkaEventListener;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.test.TestKafka;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * retention-service under {@code RETAIN_EVENTS=kafka} against an embedded KRaft broker: warnings
 * from {@code loyalty-warning-raised} open the same plans as the HTTP feed, a copy the relay
 * published twice and a replay from offset 0 open nothing more, a malformed event goes to the DLT.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"retain.events=kafka", "retain.kafka.retry=200ms"})
@ActiveProfiles("test")
class WarningEventsKafkaTest {

  static final TestKafka kafka = TestKafka.start();
  static final StubServices stub;
  static final String TOPIC = KafkaEvents.LOYALTY_WARNING_RAISED;

  static {
    try {
      stub = new StubServices(WorkedExampleTestData.profiles());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    kafka.createTopic(TOPIC, 3);
  }

  @DynamicPropertySource
  static void remotes(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.scoring.url", stub::url);
    registry.add("retain.remote.customer.url", stub::url);
    registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
  }

  @AfterAll
  static void stop() {
    stub.close();
    kafka.close();
  }

  @Autowired DatabaseClient db;
  @Autowired ConcurrentMessageListenerContainer<String, String> planOpenerConsumer;

  @Test
  void warningEventsOpenTheFeedsPlansOnceThroughDuplicatesAndAReplayAndPoisonGoesToTheDlt() {
    List<WarningEvent> warnings = WorkedExampleTestData.warnings(); // C002, C003, C005
    var t = kafka.template();
    for (WarningEvent w : warnings) {
      t.send(TOPIC, w.customerId(), json(w)).join();
    }
    // the relay crashed before marking: the first two again
    t.send(TOPIC, warnings.get(0).customerId(), json(warnings.get(0))).join();
    t.send(TOPIC, warnings.get(1).customerId(), json(warnings.get(1))).join();
    t.send(TOPIC, "C003", "{\"schemaVersion\":1,\"seq\":9,\"customerId\":\"C003\"}").join();

    awaitConsumed();
    assertThat(openPlans()).isEqualTo(9); // C002: 4, C003: 2, C005: 3 (as over the HTTP feed)
    List<ConsumerRecord<String, String>> dead =
        kafka.readAll(TOPIC + KafkaEventListener.DLT_SUFFIX);
    assertThat(dead)
        .singleElement()
        .satisfies(
            r ->
                assertThat(
                        new String(
                            r.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("asOf missing"));

    // a replay from offset 0 on every partition: the stored seqs make it a no-op
    planOpenerConsumer.stop();
    db.sql("update kafka_offset set next_offset = 0").then().block();
    planOpenerConsumer.start();
    awaitConsumed();
    assertThat(openPlans()).isEqualTo(9);
    assertThat(count("select count(*) from action_plan")).isEqualTo(9);
  }

  private void awaitConsumed() {
    long end = kafka.endOffsets(TOPIC);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select coalesce(sum(next_offset), 0) from kafka_offset") == end);
  }

  /** The event as scoring's relay writes it: the feed entry's fields and a schema version. */
  private static String json(WarningEvent w) {
    JsonMapper mapper = JsonMapper.builder().build();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put(EventCodec.SCHEMA_VERSION, 1);
    event.putAll(mapper.convertValue(w, new TypeReference<Map<String, Object>>() {}));
    return EventCodec.write(event);
  }

  private long openPlans() {
    return count("select count(*) from action_plan where status in ('PLANNED', 'IN_PROGRESS')");
  }

  private long count(String sql) {
    return db.sql(sql).map(r -> ((Number) r.get(0)).longValue()).one().block();
  }
}
