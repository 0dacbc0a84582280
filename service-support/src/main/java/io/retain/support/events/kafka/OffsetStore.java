package io.retain.support.events.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * A consumer's Kafka positions in its own database ({@code kafka_offset}): per partition the next
 * offset to read and the highest outbox seq applied. A save joins the caller's transaction, so the
 * offsets commit with the effects; it is a compare-and-set on the position read before the batch,
 * so a consumer that lost its partitions without noticing (a zombie) cannot commit over the new
 * owner.
 */
public final class OffsetStore {

  /** Where a partition is: the next offset to read, the highest event seq applied from it. */
  public record Position(long nextOffset, long lastSeq) {}

  private final DatabaseClient db;
  private final String consumer;

  public OffsetStore(DatabaseClient db, String consumer) {
    this.db = db;
    this.consumer = consumer;
  }

  public String consumer() {
    return consumer;
  }

  /** The stored positions of these partitions; partitions never saved are absent. */
  public Mono<Map<TopicPartition, Position>> positions(Collection<TopicPartition> partitions) {
    return db.sql(
            "select topic, partition, next_offset, last_seq from kafka_offset where consumer = $1")
        .bind(0, consumer)
        .map(
            (r, m) ->
                Map.entry(
                    new TopicPartition(
                        r.get("topic", String.class), r.get("partition", Integer.class)),
                    new Position(r.get("next_offset", Long.class), r.get("last_seq", Long.class))))
        .all()
        .filter(e -> partitions.contains(e.getKey()))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
  }

  /**
   * Moves a partition from {@code expected} (null: never saved) to {@code next}; fails with {@link
   * FencedException} when the stored position is no longer {@code expected}.
   */
  public Mono<Void> save(TopicPartition tp, @Nullable Position expected, Position next) {
    DatabaseClient.GenericExecuteSpec sql =
        expected == null
            ? db.sql(
                "insert into kafka_offset (consumer, topic, partition, next_offset, last_seq)"
                    + " values ($1, $2, $3, $4, $5) on conflict do nothing")
            : db.sql(
                    "update kafka_offset set next_offset = $4, last_seq = $5 where consumer = $1"
                        + " and topic = $2 and partition = $3 and next_offset = $6 and last_seq = $7")
                .bind(5, expected.nextOffset())
                .bind(6, expected.lastSeq());
    return sql.bind(0, consumer)
        .bind(1, tp.topic())
        .bind(2, tp.partition())
        .bind(3, next.nextOffset())
        .bind(4, next.lastSeq())
        .fetch()
        .rowsUpdated()
        .flatMap(
            n ->
                n == 1
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new FencedException(
                            consumer + " " + tp + ": stored position is no longer " + expected)));
  }

  /** Another consumer of the group moved the partition on: this batch must not commit. */
  public static final class FencedException extends RuntimeException {
    FencedException(String message) {
      super(message);
    }
  }
}
