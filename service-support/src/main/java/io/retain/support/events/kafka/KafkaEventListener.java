package io.retain.support.events.kafka;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.retain.support.events.EventBatchHandler;
import io.retain.support.events.EventCodec;
import io.retain.support.events.InvalidEventException;
import io.retain.support.events.PositionWriter;
import io.retain.support.events.SequencedEvent;
import io.retain.support.events.kafka.OffsetStore.Position;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.support.KafkaHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Feeds a consumer's {@link EventBatchHandler} from Kafka with exactly-once effects: positions come
 * from the consumer's own database (sought on assignment, checked per record), the handler stores
 * them with its effects, a copy the relay published twice is dropped by its outbox seq, and a
 * record that cannot be read goes to {@code <topic>.DLT} with the reason while the partition moves
 * on.
 *
 * <p>Runs on the listener container's consumer thread, which may block: it waits here for the
 * reactive handler so that the next poll starts after the batch committed.
 */
public final class KafkaEventListener<E extends SequencedEvent>
    implements BatchConsumerAwareMessageListener<String, String>, ConsumerAwareRebalanceListener {

  public static final String DLT_SUFFIX = ".DLT";

  /** A consumed batch's observation: background work, a trace of its own (ADR 0016). */
  public static final String CONSUME_OBSERVATION = "retain.events.consume";

  private static final Logger log = LoggerFactory.getLogger(KafkaEventListener.class);

  private final EventCodec<E> codec;
  private final EventBatchHandler<E> handler;
  private final OffsetStore offsets;
  private final KafkaOperations<String, String> deadLetters;
  private final Duration timeout;
  private final ObservationRegistry observations;

  public KafkaEventListener(
      EventCodec<E> codec,
      EventBatchHandler<E> handler,
      OffsetStore offsets,
      KafkaOperations<String, String> deadLetters,
      Duration timeout) {
    this(codec, handler, offsets, deadLetters, timeout, ObservationRegistry.NOOP);
  }

  public KafkaEventListener(
      EventCodec<E> codec,
      EventBatchHandler<E> handler,
      OffsetStore offsets,
      KafkaOperations<String, String> deadLetters,
      Duration timeout,
      ObservationRegistry observations) {
    this.observations = observations;
    this.codec = codec;
    this.handler = handler;
    this.offsets = offsets;
    this.deadLetters = deadLetters;
    this.timeout = timeout;
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Position> stored = block(offsets.positions(partitions));
    List<TopicPartition> fresh = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Position p = stored.get(tp);
      if (p == null) {
        fresh.add(tp);
      } else {
        consumer.seek(tp, p.nextOffset());
      }
    }
    // never saved here: from the start, whatever Kafka's committed offsets say
    if (!fresh.isEmpty()) {
      consumer.seekToBeginning(fresh);
    }
    log.info("{} assigned {}, from the stored offsets {}", offsets.consumer(), partitions, stored);
  }

  @Override
  public void onMessage(List<ConsumerRecord<String, String>> records, Consumer<?, ?> consumer) {
    String topics =
        String.join(",", records.stream().map(ConsumerRecord::topic).distinct().sorted().toList());
    Observation obs =
        Observation.createNotStarted(CONSUME_OBSERVATION, observations)
            .contextualName("consume " + topics)
            .lowCardinalityKeyValue("messaging.destination.name", topics)
            .lowCardinalityKeyValue("messaging.consumer.group.name", offsets.consumer())
            .highCardinalityKeyValue(
                "messaging.batch.message_count", String.valueOf(records.size()))
            .start();
    try (Observation.Scope scope = obs.openScope()) {
      apply(records, obs);
    } catch (RuntimeException | Error e) {
      obs.error(e);
      throw e;
    } finally {
      obs.stop();
    }
  }

  /** The batch, its reactive work under {@code obs} (so its statements are the batch's spans). */
  private void apply(List<ConsumerRecord<String, String>> records, Observation obs) {
    Set<TopicPartition> partitions = new LinkedHashSet<>();
    records.forEach(r -> partitions.add(new TopicPartition(r.topic(), r.partition())));
    // read per batch: a retried batch starts again from what is committed
    Map<TopicPartition, Position> current =
        new HashMap<>(block(under(obs, offsets.positions(partitions))));
    Map<TopicPartition, Long> seqSeen = new HashMap<>();
    current.forEach((tp, p) -> seqSeen.put(tp, p.lastSeq()));
    List<E> events = new ArrayList<>();
    List<ConsumerRecord<String, String>> eventRecords = new ArrayList<>();
    List<CompletableFuture<?>> deadLettered = new ArrayList<>();
    for (ConsumerRecord<String, String> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      Position p = current.get(tp);
      if (p != null && r.offset() < p.nextOffset()) {
        continue; // applied already (Kafka's committed offset lags the database's)
      }
      E event;
      try {
        event = codec.read(r.value());
        if (!event.customerId().equals(r.key())) {
          throw new InvalidEventException(
              "key '" + r.key() + "' is not the event's customerId '" + event.customerId() + "'");
        }
      } catch (InvalidEventException e) {
        deadLettered.add(deadLetter(r, e.getMessage()));
        continue;
      }
      if (event.seq() <= seqSeen.getOrDefault(tp, 0L)) {
        continue; // the relay published it again after a crash between publish and mark
      }
      seqSeen.put(tp, event.seq());
      events.add(event);
      eventRecords.add(r);
    }
    CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .join();
    PositionWriter writer = i -> save(current, positions(eventRecords.subList(0, i + 1), events));
    if (!events.isEmpty()) {
      block(under(obs, handler.apply(List.copyOf(events), writer)));
    }
    // the batch's last records may be ones skipped above; they move the position too
    Map<TopicPartition, Position> all = new HashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      all.merge(
          tp,
          new Position(r.offset() + 1, seqSeen.getOrDefault(tp, 0L)),
          (a, b) -> new Position(Math.max(a.nextOffset(), b.nextOffset()), a.lastSeq()));
    }
    block(under(obs, save(current, all)));
    if (log.isDebugEnabled()) {
      log.debug(
          "{}: {} records, {} applied, positions {}",
          offsets.consumer(),
          records.size(),
          events.size(),
          current);
    }
  }

  /** Next offset and highest seq per partition over these records and their events. */
  private Map<TopicPartition, Position> positions(
      List<ConsumerRecord<String, String>> records, List<E> events) {
    Map<TopicPartition, Position> out = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, String> r = records.get(i);
      Position p = new Position(r.offset() + 1, events.get(i).seq());
      out.merge(
          new TopicPartition(r.topic(), r.partition()),
          p,
          (a, b) ->
              new Position(
                  Math.max(a.nextOffset(), b.nextOffset()), Math.max(a.lastSeq(), b.lastSeq())));
    }
    return out;
  }

  /** Saves the partitions that moved; {@code current} follows each save that succeeded. */
  private Mono<Void> save(Map<TopicPartition, Position> current, Map<TopicPartition, Position> to) {
    return Flux.fromIterable(to.entrySet())
        .concatMap(
            e -> {
              TopicPartition tp = e.getKey();
              @Nullable Position before = current.get(tp);
              Position next = e.getValue();
              if (before != null
                  && before.nextOffset() >= next.nextOffset()
                  && before.lastSeq() >= next.lastSeq()) {
                return Mono.empty();
              }
              Position merged =
                  before == null
                      ? next
                      : new Position(
                          Math.max(before.nextOffset(), next.nextOffset()),
                          Math.max(before.lastSeq(), next.lastSeq()));
              return offsets.save(tp, before, merged).doOnSuccess(v -> current.put(tp, merged));
            })
        .then();
  }

  private CompletableFuture<?> deadLetter(ConsumerRecord<String, String> r, String reason) {
    log.warn(
        "{}: {}-{}@{} set aside to {}{}: {}",
        offsets.consumer(),
        r.topic(),
        r.partition(),
        r.offset(),
        r.topic(),
        DLT_SUFFIX,
        reason);
    RecordHeaders headers = new RecordHeaders();
    headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, r.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(
        KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(r.partition()).array());
    headers.add(
        KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(r.offset()).array());
    headers.add(
        KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP,
        offsets.consumer().getBytes(StandardCharsets.UTF_8));
    return deadLetters.send(
        new ProducerRecord<>(r.topic() + DLT_SUFFIX, null, r.key(), r.value(), headers));
  }

  private static <T> Mono<T> under(Observation obs, Mono<T> m) {
    return m.contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, obs));
  }

  private <T> T block(Mono<T> m) {
    return m.block(timeout);
  }
}
