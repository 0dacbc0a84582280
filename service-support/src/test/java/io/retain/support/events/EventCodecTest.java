package io.retain.support.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.env.MockEnvironment;

/** What each kind of unreadable event gets, and the transport switch. */
class EventCodecTest {

  record Changed(int schemaVersion, long seq, String customerId, @Nullable String at)
      implements SequencedEvent {}

  static final EventCodec<Changed> CODEC =
      new EventCodec<>(Changed.class, 1, c -> c.at() == null ? "at missing" : null);

  @Test
  void readsWhatItWroteAndIgnoresFieldsAddedWithinTheVersion() {
    Changed c = new Changed(1, 7, "C1", "2026-06-30");
    assertThat(CODEC.read(EventCodec.write(c))).isEqualTo(c);
    assertThat(
            CODEC.read(
                "{\"schemaVersion\":1,\"seq\":7,\"customerId\":\"C1\",\"at\":\"x\",\"new\":true}"))
        .isEqualTo(new Changed(1, 7, "C1", "x"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|empty value: expected a JSON object",
        "[1]|expected a JSON object, got ARRAY",
        "{\"seq\":1}|schemaVersion missing or not an integer",
        "{\"schemaVersion\":\"1\"}|schemaVersion missing or not an integer",
        "{\"schemaVersion\":2,\"seq\":1}|schemaVersion 2 is not supported (expected 1)",
        "{\"schemaVersion\":1,\"seq\":0,\"customerId\":\"C1\",\"at\":\"x\"}|seq 0 is not positive",
        "{\"schemaVersion\":1,\"seq\":3,\"at\":\"x\"}|customerId missing",
        "{\"schemaVersion\":1,\"seq\":3,\"customerId\":\"C1\"}|at missing"
      })
  void refusesEachKindOfBadEventWithItsReason(String json, String reason) {
    assertThatThrownBy(() -> CODEC.read(json))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage(reason);
  }

  @Test
  void refusesWhatIsNotJsonOrNotOfTheSchemaSayingWhere() {
    assertThatThrownBy(() -> CODEC.read("{oops"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("not JSON: ");
    assertThatThrownBy(() -> CODEC.read("{\"schemaVersion\":1,\"seq\":\"many\"}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("does not match the schema: ");
  }

  @Test
  void theFeedIsTheDefaultAndKafkaLeavesBootsKafkaAutoConfigurationIn() {
    MockEnvironment feed =
        new MockEnvironment().withProperty("spring.autoconfigure.exclude", "a.B");
    new EventsEnvironmentPostProcessor().postProcessEnvironment(feed, null);
    assertThat(EventTransport.of(feed)).isEqualTo(EventTransport.FEED);
    assertThat(feed.getProperty("spring.autoconfigure.exclude"))
        .isEqualTo("a.B," + EventsEnvironmentPostProcessor.KAFKA_AUTO_CONFIGURATION);

    MockEnvironment kafka =
        new MockEnvironment()
            .withProperty("retain.events", "kafka")
            .withProperty("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092");
    new EventsEnvironmentPostProcessor().postProcessEnvironment(kafka, null);
    assertThat(EventTransport.of(kafka)).isEqualTo(EventTransport.KAFKA);
    assertThat(kafka.getProperty("spring.autoconfigure.exclude")).isNull();
    assertThat(kafka.getProperty("spring.kafka.bootstrap-servers")).isEqualTo("k1:9092,k2:9092");

    MockEnvironment wrong = new MockEnvironment().withProperty("retain.events", "rabbit");
    assertThatThrownBy(() -> EventTransport.of(wrong))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("retain.events (RETAIN_EVENTS) is 'rabbit'; expected 'feed' or 'kafka'");
  }
}
