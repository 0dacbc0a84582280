package io.retain.support.events.kafka;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes a producer's outbox to its topic: reads the rows after the relay's position ({@code
 * outbox_relay}) in order, sends them keyed by customer id with the idempotent producer, waits for
 * every acknowledgement, then marks them published by moving the position. A crash between publish
 * and mark publishes the rows again; consumers drop the copies by seq. The position row is locked
 * for the round ({@code for update skip locked}), so with N replicas one relays at a time and
 * another takes over as soon as the owner's connection is gone.
 */
public final class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** A relayed round's observation (one with rows): a trace of its own (ADR 0016). */
  public static final String RELAY_OBSERVATION = "retain.events.relay";

  private final String topic;
  private final OutboxSource outbox;
  private final KafkaOperations<String, String> kafka;
  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final int batch;
  private final Duration interval;
  private final ObservationRegistry observations;
  private volatile @org.jspecify.annotations.Nullable Disposable running;

  public OutboxRelay(
      String topic,
      OutboxSource outbox,
      KafkaOperations<String, String> kafka,
      DatabaseClient db,
      TransactionalOperator tx,
      int batch,
      Duration interval,
      ObservationRegistry observations) {
    this.observations = observations;
    this.topic = topic;
    this.outbox = outbox;
    this.kafka = kafka;
    this.db = db;
    this.tx = tx;
    this.batch = batch;
    this.interval = interval;
  }

  /** One round: up to {@code batch} rows published and marked; emits how many (0 if locked). */
  public Mono<Integer> relayOnce() {
    return relay(Mono.empty());
  }

  /** Rounds until the outbox is drained; emits the total published. */
  public Mono<Integer> drain() {
    return relayOnce().expand(n -> n == batch ? relayOnce() : Mono.empty()).reduce(0, Integer::sum);
  }

  /** A round with {@code beforeMark} between publish and mark (a test makes it fail: a crash). */
  Mono<Integer> relay(Mono<Void> beforeMark) {
    Mono<Integer> round =
        db.sql("select position from outbox_relay where topic = $1 for update skip locked")
            .bind(0, topic)
            .map((r, m) -> r.get(0, Long.class))
            .one()
            .flatMap(
                position ->
                    outbox
                        .after(position, batch)
                        .collectList()
                        .flatMap(
                            rows ->
                                rows.isEmpty()
                                    ? Mono.just(0)
                                    : observed(
                                        rows.size(),
                                        publish(rows)
                                            .then(beforeMark)
                                            .then(mark(rows.get(rows.size() - 1).seq()))
                                            .thenReturn(rows.size()))))
            .defaultIfEmpty(0);
    return db.sql(
            "insert into outbox_relay (topic, position) values ($1, 0) on conflict do nothing")
        .bind(0, topic)
        .then()
        .then(tx.transactional(round));
  }

  /** A round that found rows, under its own observation (an empty poll makes no trace). */
  private Mono<Integer> observed(int rows, Mono<Integer> round) {
    return Mono.defer(
        () -> {
          Observation obs =
              Observation.createNotStarted(RELAY_OBSERVATION, observations)
                  .contextualName("relay " + topic)
                  .lowCardinalityKeyValue("messaging.destination.name", topic)
                  .highCardinalityKeyValue("messaging.batch.message_count", String.valueOf(rows))
                  .start();
          return round
              .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, obs))
              .doOnError(obs::error)
              .doFinally(signal -> obs.stop());
        });
  }

  /** Sends in outbox order from one thread (order per partition), then awaits every ack. */
  private Mono<Void> publish(List<OutboxMessage> rows) {
    return Mono.fromCallable(
            () ->
                rows.stream()
                    .map(m -> kafka.send(topic, m.key(), m.json()))
                    .toArray(CompletableFuture[]::new))
        // send may block on metadata: not on an event loop
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(sent -> Mono.fromFuture(CompletableFuture.allOf(sent)));
  }

  private Mono<Void> mark(long seq) {
    return db.sql("update outbox_relay set position = $2 where topic = $1")
        .bind(0, topic)
        .bind(1, seq)
        .then();
  }

  @Override
  public void start() {
    running =
        Flux.interval(Duration.ZERO, interval)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    drain()
                        .onErrorResume(
                            e -> {
                              // broker or database away: the position stays, the next tick resumes
                              log.warn("relay to {} failed, will resume: {}", topic, e.toString());
                              return Mono.just(0);
                            }),
                1)
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable r = running;
    if (r != null) {
      r.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    Disposable r = running;
    return r != null && !r.isDisposed();
  }
}
