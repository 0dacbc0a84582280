package io.retain.support.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One embedded KRaft broker for a test class (spring-kafka-test, no Docker), on ports the OS picks,
 * with the clients the tests need: an idempotent producer, consumer factories, and a reader that
 * returns everything a topic holds.
 */
public final class TestKafka implements AutoCloseable {

  private final EmbeddedKafkaKraftBroker broker;
  private final DefaultKafkaProducerFactory<String, String> producers;

  private TestKafka(EmbeddedKafkaKraftBroker broker) {
    this.broker = broker;
    this.producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class));
  }

  /** Starts a broker (a few seconds); close it in {@code @AfterAll}. */
  public static TestKafka start() {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.afterPropertiesSet();
    return new TestKafka(broker);
  }

  public String bootstrapServers() {
    return broker.getBrokersAsString();
  }

  /**
   * Creates the topic and returns once every partition has a leader in the metadata clients see: on
   * a loaded machine a producer that came earlier got NOT_LEADER_OR_FOLLOWER, then an out of order
   * sequence, and its records expired.
   */
  public void createTopic(String name, int partitions) {
    broker.addTopics(new NewTopic(name, partitions, (short) 1));
    try (var c = consumers(1).createConsumer("meta-" + UUID.randomUUID(), "meta")) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var infos = c.partitionsFor(name);
                return infos != null
                    && infos.size() == partitions
                    && infos.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
              });
    }
  }

  public KafkaTemplate<String, String> template() {
    return new KafkaTemplate<>(producers);
  }

  /** Consumers as the services configure them: no auto commit, from the beginning. */
  public DefaultKafkaConsumerFactory<String, String> consumers(int maxPollRecords) {
    return new DefaultKafkaConsumerFactory<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            maxPollRecords,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class));
  }

  /** Every record the topic holds now, partition by partition. */
  public List<ConsumerRecord<String, String>> readAll(String topic) {
    try (KafkaConsumer<String, String> c =
        (KafkaConsumer<String, String>)
            consumers(500).createConsumer("read-" + UUID.randomUUID(), "reader")) {
      List<TopicPartition> tps =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end " + end);
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  /** The sum of the topic's end offsets: how many records were ever written to it. */
  public long endOffsets(String topic) {
    try (var c = consumers(1).createConsumer("end-" + UUID.randomUUID(), "end")) {
      List<TopicPartition> tps =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Override
  public void close() {
    producers.destroy();
    broker.destroy();
  }
}
