package io.retain.support.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.retain.support.events.EventBatchHandler;
import io.retain.support.test.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Kafka transport against one embedded KRaft broker and a real PostgreSQL: exactly-once effects
 * through a rebalance, a consumer killed mid-batch, a replay from offset 0 and a relay restarted
 * between publish and mark; a poison record goes to the DLT and the partition moves on. The effects
 * add amounts (not idempotent), so an event applied twice would show in the balances.
 */
class KafkaEventsTest {

  static final Duration DONE = Duration.ofSeconds(60);
  static final int CUSTOMERS = 30;
  static TestKafka kafka;
  static EventsDatabase data;
  final List<ConcurrentMessageListenerContainer<String, String>> containers = new ArrayList<>();

  @BeforeAll
  static void start() {
    kafka = TestKafka.start();
    data = new EventsDatabase("kafka_events");
  }

  @AfterAll
  static void stopAll() {
    data.close();
    kafka.close();
  }

  @BeforeEach
  void clean() {
    data.reset();
  }

  @AfterEach
  void stopContainers() {
    containers.forEach(ConcurrentMessageListenerContainer::stop);
  }

  @Test
  void twoConsumersOfAGroupWithARebalanceMidStreamApplyEveryEventOnce() {
    String topic = topic("rebalance", 3);
    send(topic, 1, 300);
    consumer(topic, "g-rebalance", data.handler("A"));
    await().atMost(DONE).until(() -> data.count("select count(*) from effect") >= 60);
    var b = consumer(topic, "g-rebalance", data.handler("B"));
    // the group has rebalanced (B owns partitions) before the second half is written
    await()
        .atMost(DONE)
        .until(() -> b.getAssignedPartitions() != null && !b.getAssignedPartitions().isEmpty());
    send(topic, 301, 600);

    awaitConsumed(topic, "g-rebalance");
    assertThat(data.count("select count(*) from effect")).isEqualTo(600);
    assertThat(data.count("select count(distinct seq) from effect")).isEqualTo(600);
    assertThat(data.totals()).isEqualTo(expectedTotals(1, 600));
    // both consumers did part of the work: the partitions moved while events flowed
    assertThat(data.count("select count(*) from effect where consumer = 'A'")).isBetween(60L, 599L);
    assertThat(data.count("select count(*) from effect where consumer = 'B'")).isPositive();
  }

  @Test
  void aConsumerKilledMidBatchLeavesNothingHalfDoneAndTheNextOneAppliesEachEventOnce() {
    String topic = topic("kill", 3);
    send(topic, 1, 300);
    AtomicInteger batches = new AtomicInteger();
    AtomicLong writtenBeforeKill = new AtomicLong(-1);
    EventBatchHandler<Moved> dying =
        (events, position) -> {
          if (batches.incrementAndGet() < 2 && writtenBeforeKill.get() < 0) {
            return data.handler("A").apply(events, position);
          }
          // the second batch: half its effects written, then the process dies before commit
          return data.tx.transactional(
              Flux.fromIterable(events.subList(0, events.size() / 2 + 1))
                  .concatMap(e -> data.apply("A", e))
                  .then(
                      data.db
                          .sql("select count(*) from effect")
                          .map((r, m) -> ((Number) r.get(0)).longValue())
                          .one())
                  .flatMap(
                      n -> {
                        writtenBeforeKill.compareAndSet(-1, n);
                        return Mono.error(new IllegalStateException("killed mid-batch"));
                      }));
        };
    ConcurrentMessageListenerContainer<String, String> a = consumer(topic, "g-kill", dying);
    await().atMost(DONE).until(() -> writtenBeforeKill.get() > 0);
    a.stop();
    long committedByA = data.count("select count(*) from effect");
    assertThat(writtenBeforeKill.get()).isGreaterThan(committedByA);

    consumer(topic, "g-kill", data.handler("B"));
    awaitConsumed(topic, "g-kill");
    assertThat(data.count("select count(*) from effect")).isEqualTo(300);
    assertThat(data.count("select count(distinct seq) from effect")).isEqualTo(300);
    assertThat(data.count("select count(*) from effect where consumer = 'B'"))
        .isEqualTo(300 - committedByA);
    assertThat(data.totals()).isEqualTo(expectedTotals(1, 300));
  }

  @Test
  void aReplayFromOffsetZeroChangesNothingAndRebuildsTheSameState() {
    String topic = topic("replay", 3);
    send(topic, 1, 200);
    ConcurrentMessageListenerContainer<String, String> first =
        consumer(topic, "g-replay", data.handler("A"));
    awaitConsumed(topic, "g-replay");
    first.stop();
    Map<String, Long> state = data.totals();
    assertThat(state).isEqualTo(expectedTotals(1, 200));

    // every partition sought back to 0: the stored seqs make the re-read events no-ops
    data.db.sql("update kafka_offset set next_offset = 0").then().block();
    ConcurrentMessageListenerContainer<String, String> again =
        consumer(topic, "g-replay", data.handler("B"));
    awaitConsumed(topic, "g-replay");
    again.stop();
    assertThat(data.count("select count(*) from effect")).isEqualTo(200);
    assertThat(data.totals()).isEqualTo(state);

    // the consumer's database lost: a replay from 0 rebuilds the same state
    data.db.sql("truncate effect, total, kafka_offset").then().block();
    consumer(topic, "g-replay", data.handler("C"));
    awaitConsumed(topic, "g-replay");
    assertThat(data.count("select count(*) from effect where consumer = 'C'")).isEqualTo(200);
    assertThat(data.totals()).isEqualTo(state);
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicWithTheReasonAndThePartitionMovesOn() {
    String topic = topic("poison", 1);
    kafka.createTopic(topic + KafkaEventListener.DLT_SUFFIX, 1);
    var t = kafka.template();
    t.send(topic, "c1", Moved.of(1, CUSTOMERS).json()).join();
    t.send(topic, "c1", "{not json").join();
    t.send(topic, "c2", "{\"schemaVersion\":2,\"seq\":2,\"customerId\":\"c2\",\"amount\":1}")
        .join();
    t.send(topic, "c9", Moved.of(3, CUSTOMERS).json()).join(); // customerId c3 under key c9
    t.send(topic, "c4", new Moved(1, 4, "c4", 0).json()).join();
    t.send(topic, "c5", Moved.of(5, CUSTOMERS).json()).join();

    consumer(topic, "g-poison", data.handler("A"));
    awaitConsumed(topic, "g-poison");
    assertThat(data.totals()).isEqualTo(Map.of("c1", 2L, "c5", 6L));
    assertThat(data.storedOffsets("g-poison")).isEqualTo(6);

    List<ConsumerRecord<String, String>> dead =
        kafka.readAll(topic + KafkaEventListener.DLT_SUFFIX);
    assertThat(dead)
        .extracting(r -> header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
        .hasSize(4)
        .satisfiesExactly(
            m -> assertThat(m).startsWith("not JSON: "),
            m -> assertThat(m).isEqualTo("schemaVersion 2 is not supported (expected 1)"),
            m -> assertThat(m).isEqualTo("key 'c9' is not the event's customerId 'c3'"),
            m -> assertThat(m).isEqualTo("amount 0 moves nothing"));
    assertThat(dead).extracting(ConsumerRecord::value).first().isEqualTo("{not json");
    assertThat(dead)
        .extracting(r -> header(r, KafkaHeaders.DLT_ORIGINAL_TOPIC))
        .containsOnly(topic);
  }

  @Test
  void aRelayRestartedBetweenPublishAndMarkPublishesAgainAndNoEffectIsDoubled() {
    String topic = topic("relay", 3);
    OutboxSource outbox = data.outbox();
    insertOutbox(1, 100);
    OutboxRelay crashing = relay(topic, outbox, 1000);
    assertThatThrownBy(
            () ->
                crashing.relay(Mono.error(new IllegalStateException("crash before mark"))).block())
        .hasMessage("crash before mark");
    assertThat(data.count("select position from outbox_relay")).isZero();
    assertThat(kafka.endOffsets(topic)).isEqualTo(100);

    insertOutbox(101, 150);
    assertThat(relay(topic, outbox, 40).drain().block()).isEqualTo(150);
    assertThat(data.count("select position from outbox_relay")).isEqualTo(150);
    assertThat(kafka.endOffsets(topic)).isEqualTo(250);

    consumer(topic, "g-relay", data.handler("A"));
    awaitConsumed(topic, "g-relay");
    assertThat(data.count("select count(*) from effect")).isEqualTo(150);
    assertThat(data.totals()).isEqualTo(expectedTotals(1, 150));
  }

  /**
   * Background work is a trace of its own (ADR 0016): each relayed round with rows and each
   * consumed batch is an observation named for its topic, and the consumer's handler runs under it
   * (its statements are the batch's spans). An empty relay poll makes none.
   */
  @Test
  void eachRelayedRoundAndConsumedBatchIsAnObservationOfItsOwnAroundItsWork() {
    List<Observation.Context> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
    ObservationRegistry observations = ObservationRegistry.create();
    observations
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }

              @Override
              public void onStop(Observation.Context context) {
                stopped.add(context);
              }
            });
    String topic = topic("observed", 2);
    OutboxSource outbox = data.outbox();
    OutboxRelay relay = relay(topic, outbox, 1000, observations);
    assertThat(relay.relayOnce().block()).isZero();
    assertThat(stopped).isEmpty(); // an empty poll
    insertOutbox(1, 40);
    assertThat(relay.relayOnce().block()).isEqualTo(40);
    assertThat(stopped).hasSize(1);
    Observation.Context relayed = stopped.get(0);
    assertThat(relayed.getName()).isEqualTo(OutboxRelay.RELAY_OBSERVATION);
    assertThat(relayed.getContextualName()).isEqualTo("relay " + topic);
    assertThat(relayed.getHighCardinalityKeyValue("messaging.batch.message_count").getValue())
        .isEqualTo("40");
    assertThat(relayed.getError()).isNull();

    // the handler sees the batch's observation in its Reactor context, where the R2DBC statement
    // spans look for their parent
    List<Object> seenByHandler = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventBatchHandler<Moved> handler = data.handler("A");
    EventBatchHandler<Moved> watching =
        (events, position) ->
            Mono.deferContextual(
                    c -> {
                      seenByHandler.add(c.getOrDefault(ObservationThreadLocalAccessor.KEY, "none"));
                      return Mono.empty();
                    })
                .then(handler.apply(events, position));
    var listener =
        new KafkaEventListener<>(
            Moved.CODEC,
            watching,
            new OffsetStore(data.db, "g-observed"),
            kafka.template(),
            DONE,
            observations);
    var c =
        KafkaEvents.container(
            kafka.consumers(50), topic, "g-observed", 1, listener, Duration.ofMillis(200));
    c.start();
    containers.add(c);
    awaitConsumed(topic, "g-observed");
    assertThat(data.count("select count(*) from effect")).isEqualTo(40);

    List<Observation.Context> consumed =
        stopped.stream()
            .filter(o -> o.getName().equals(KafkaEventListener.CONSUME_OBSERVATION))
            .toList();
    assertThat(consumed).isNotEmpty();
    assertThat(consumed)
        .allSatisfy(
            o -> {
              assertThat(o.getContextualName()).isEqualTo("consume " + topic);
              assertThat(o.getLowCardinalityKeyValue("messaging.destination.name").getValue())
                  .isEqualTo(topic);
              assertThat(o.getLowCardinalityKeyValue("messaging.consumer.group.name").getValue())
                  .isEqualTo("g-observed");
            });
    // every record of the 40 was in one of the observed batches
    assertThat(
            consumed.stream()
                .mapToInt(
                    o ->
                        Integer.parseInt(
                            o.getHighCardinalityKeyValue("messaging.batch.message_count")
                                .getValue()))
                .sum())
        .isGreaterThanOrEqualTo(40);
    assertThat(seenByHandler)
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o).isInstanceOf(Observation.class));
  }

  private OutboxRelay relay(String topic, OutboxSource outbox, int batch) {
    return relay(topic, outbox, batch, ObservationRegistry.NOOP);
  }

  private OutboxRelay relay(
      String topic, OutboxSource outbox, int batch, ObservationRegistry observations) {
    return new OutboxRelay(
        topic,
        outbox,
        kafka.template(),
        data.db,
        data.tx,
        batch,
        Duration.ofSeconds(1),
        observations);
  }

  private void insertOutbox(long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      Moved e = Moved.of(seq, CUSTOMERS);
      data.db
          .sql("insert into outbox (seq, customer_id, amount) values ($1, $2, $3)")
          .bind(0, seq)
          .bind(1, e.customerId())
          .bind(2, e.amount())
          .then()
          .block();
    }
  }

  private ConcurrentMessageListenerContainer<String, String> consumer(
      String topic, String group, EventBatchHandler<Moved> handler) {
    var listener =
        new KafkaEventListener<>(
            Moved.CODEC, handler, new OffsetStore(data.db, group), kafka.template(), DONE);
    var c =
        KafkaEvents.container(
            kafka.consumers(50), topic, group, 1, listener, Duration.ofMillis(200));
    c.start();
    containers.add(c);
    return c;
  }

  private static String topic(String name, int partitions) {
    kafka.createTopic(name, partitions);
    return name;
  }

  private static void send(String topic, long from, long to) {
    var t = kafka.template();
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      Moved e = Moved.of(seq, CUSTOMERS);
      sent.add(t.send(topic, e.customerId(), e.json()));
    }
    // every record acknowledged, or the test stops here: a send that expired (a loaded machine)
    // would otherwise show as events the consumers never saw
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
  }

  private static void awaitConsumed(String topic, String group) {
    long end = kafka.endOffsets(topic);
    await().atMost(DONE).until(() -> data.storedOffsets(group) == end);
  }

  private static Map<String, Long> expectedTotals(long from, long to) {
    Map<String, Long> out = new TreeMap<>();
    for (long seq = from; seq <= to; seq++) {
      Moved e = Moved.of(seq, CUSTOMERS);
      out.merge(e.customerId(), (long) e.amount(), Long::sum);
    }
    return out;
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
