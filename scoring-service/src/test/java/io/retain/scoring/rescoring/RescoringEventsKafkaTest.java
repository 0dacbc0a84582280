package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retain.support.events.kafka.KafkaEventListener;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.test.TestKafka;
import io.retain.testpg.PostgresTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * scoring-service under {@code RETAIN_EVENTS=kafka} against an embedded KRaft broker: activity
 * events rescore the customers they name (the HTTP poller is off), a copy published twice is
 * dropped, a malformed one goes to the DLT, and the warnings the rescoring raised are relayed to
 * {@code loyalty-warning-raised} with their schema version, keyed by customer.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "retain.events=kafka",
      // on, so that its absence shows the transport switch turned it off
      "retain.scoring.change-feed.enabled=true",
      "retain.kafka.retry=200ms",
      "retain.kafka.relay.interval=200ms"
    })
@ActiveProfiles("test")
@Import(WorkedExampleDay.class)
class RescoringEventsKafkaTest {

  static final TestKafka kafka = TestKafka.start();
  static final CustomerServiceStub STUB = CustomerServiceStub.start();
  static final String ACTIVITY = KafkaEvents.CUSTOMER_ACTIVITY_CHANGED;

  static {
    kafka.createTopic(ACTIVITY, 3);
  }

  @DynamicPropertySource
  static void remotes(DynamicPropertyRegistry registry) {
    registry.add("retain.remote.customer.url", STUB::url);
    registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
  }

  @AfterAll
  static void stop() {
    STUB.server.stop(0);
    kafka.close();
  }

  @Autowired DatabaseClient db;
  @Autowired ApplicationContext context;

  @Test
  void activityEventsRescoreOnceAndTheRaisedWarningsAreRelayedWithTheirSchemaVersion() {
    assertThat(context.getBeanNamesForType(ChangeFeedPoller.class)).isEmpty();
    List<String> customers = new ArrayList<>(STUB.activity.keySet());
    var t = kafka.template();
    long seq = 0;
    for (String id : customers) {
      t.send(ACTIVITY, id, event(++seq, id)).join();
    }
    // the relay crashed before marking: the first event again, with its seq
    t.send(ACTIVITY, customers.get(0), event(1, customers.get(0))).join();
    t.send(ACTIVITY, "C001", "{\"schemaVersion\":2,\"seq\":99,\"customerId\":\"C001\"}").join();

    long end = kafka.endOffsets(ACTIVITY);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> count("select coalesce(sum(next_offset), 0) from kafka_offset") == end);
    assertThat(count("select count(*) from assessment_latest")).isEqualTo(customers.size());
    assertThat(count("select count(*) from assessment_history")).isEqualTo(customers.size());
    assertThat(count("select max(last_seq) from kafka_offset")).isEqualTo(customers.size());
    assertThat(kafka.readAll(ACTIVITY + KafkaEventListener.DLT_SUFFIX))
        .singleElement()
        .satisfies(
            r ->
                assertThat(header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                    .isEqualTo("schemaVersion 2 is not supported (expected 1)"));

    long warnings = count("select count(*) from warning");
    assertThat(warnings).isPositive();
    String topic = KafkaEvents.LOYALTY_WARNING_RAISED;
    await().atMost(Duration.ofSeconds(60)).until(() -> kafka.endOffsets(topic) == warnings);
    JsonMapper json = JsonMapper.builder().build();
    for (ConsumerRecord<String, String> r : kafka.readAll(topic)) {
      JsonNode e = json.readTree(r.value());
      assertThat(e.path("schemaVersion").asInt()).isEqualTo(1);
      assertThat(e.path("customerId").asString()).isEqualTo(r.key());
      assertThat(e.path("toTier").asString()).isNotBlank();
      assertThat(e.path("riskFactors").valueStream().map(f -> f.path("message").asString()))
          .isNotEmpty()
          .allSatisfy(m -> assertThat(m).isNotBlank());
    }
    assertThat(count("select position from outbox_relay"))
        .isEqualTo(count("select max(seq) from warning"));
  }

  private static String event(long seq, String customerId) {
    return "{\"schemaVersion\":1,\"seq\":"
        + seq
        + ",\"customerId\":\""
        + customerId
        + "\",\"changedAt\":\"2026-06-30T05:00:00Z\"}";
  }

  private long count(String sql) {
    return db.sql(sql).map((r, m) -> ((Number) r.get(0)).longValue()).one().block();
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
