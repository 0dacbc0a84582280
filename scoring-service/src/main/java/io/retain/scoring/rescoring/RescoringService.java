package io.retain.scoring.rescoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.retain.scoring.customer.ActivityLine;
import io.retain.scoring.customer.CustomerClient;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.prediction.churn.ChurnModelRepository.Prediction;
import io.retain.scoring.prediction.churn.ChurnService;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.scoring.profile.ProfileRepository.Profiles;
import io.retain.scoring.rescoring.PreviousAssessments.Previous;
import io.retain.scoring.warning.WarningPolicy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Scores customers from customer-service's aggregates and stores, in one transaction per batch, the
 * latest assessment, the history row and any warnings (DOMAIN.md §7). A batch that fails for a
 * reason that may lie with one customer is stored again in halves, down to single customers; those
 * that still fail are set aside with the reason ({@link SetAsideRepository}) and everyone else is
 * scored. Measurements behind the batch shape: docs/benchmarks/rescoring.md.
 */
@Service
public class RescoringService {

  private static final Logger log = LoggerFactory.getLogger(RescoringService.class);

  /** Customers per batch (one transaction) unless {@code retain.scoring.rescoring.batch-size}. */
  static final int BATCH = 1000;

  private final CustomerClient customers;
  private final ProfileRepository profiles;
  private final PreviousAssessments previous;
  private final BatchWriter writer;
  private final RfmRanking rfm;
  private final SetAsideRepository setAside;
  private final DatabaseClient db;
  private final FeedCursors cursors;
  private final TransactionalOperator tx;
  private final ChurnService churn;
  private final Counter setAsideCount;
  private final Timer readTimer;
  private final Timer scoreTimer;
  private final Timer writeTimer;
  private final Timer rfmTimer;
  private final int batchSize;

  RescoringService(
      CustomerClient customers,
      ProfileRepository profiles,
      PreviousAssessments previous,
      BatchWriter writer,
      RfmRanking rfm,
      SetAsideRepository setAside,
      DatabaseClient db,
      FeedCursors cursors,
      TransactionalOperator tx,
      ChurnService churn,
      MeterRegistry meters,
      @Value("${retain.scoring.rescoring.batch-size:" + BATCH + "}") int batchSize) {
    if (batchSize < 1 || batchSize > 10 * BATCH) {
      throw new IllegalArgumentException(
          "retain.scoring.rescoring.batch-size must be 1.." + 10 * BATCH + ", got " + batchSize);
    }
    this.batchSize = batchSize;
    this.customers = customers;
    this.profiles = profiles;
    this.previous = previous;
    this.writer = writer;
    this.rfm = rfm;
    this.setAside = setAside;
    this.db = db;
    this.cursors = cursors;
    this.tx = tx;
    this.churn = churn;
    this.setAsideCount =
        Counter.builder("scoring.customers.set.aside")
            .description("Customers set aside because they could not be scored")
            .register(meters);
    this.readTimer = phase(meters, "read");
    this.scoreTimer = phase(meters, "score");
    this.writeTimer = phase(meters, "write");
    this.rfmTimer = phase(meters, "rfm");
  }

  private static Timer phase(MeterRegistry meters, String phase) {
    return Timer.builder("scoring.rescoring.phase")
        .description(
            "Time per phase of storing a batch (read before, score, write) and ranking RFM")
        .tag("phase", phase)
        .register(meters);
  }

  /** Rescores the given customers as of a date; returns how many were scored. */
  public Mono<Long> rescore(List<String> ids, LocalDate asOf) {
    Mono<Profiles> profilesOnce = profiles.current().cache();
    AtomicLong stored = new AtomicLong();
    return Flux.fromIterable(ids)
        .buffer(batchSize)
        .concatMap(chunk -> customers.activity(chunk, asOf, 12).collectList())
        .concatMap(batch -> store(lines(batch), asOf, null, profilesOnce))
        .doOnNext(stored::addAndGet)
        .reduce(0L, Long::sum)
        .flatMap(n -> rankRfm().thenReturn(n))
        .onErrorMap(e -> !(e instanceof RescoringFailure), e -> failure(e, stored.get()));
  }

  /** Rescores every customer, streaming the bulk aggregates in batches (bounded memory). */
  public Mono<Long> rescoreAll(LocalDate asOf) {
    return rescoreAll(asOf, profiles.current(), n -> {});
  }

  /**
   * Rescores every customer with the given profiles (read once for the whole run), telling {@code
   * progress} the running count after each batch. Fails with a {@link RescoringFailure} saying how
   * many customers were stored before.
   */
  public Mono<Long> rescoreAll(
      LocalDate asOf, Mono<Profiles> profilesToUse, LongConsumer progress) {
    long t0 = System.nanoTime();
    double[] phasesBefore = phaseTotals();
    Mono<Profiles> profilesOnce = profilesToUse.cache();
    AtomicLong stored = new AtomicLong();
    AtomicReference<Throwable> streamFailed = new AtomicReference<>();
    return customers
        .allActivity(asOf, 12)
        .buffer(batchSize)
        // the stream failing ends it (its partial batch dropped), but the batches in flight finish,
        // so that the failure says exactly how many customers were stored
        .onErrorResume(
            e -> {
              streamFailed.set(e);
              return Flux.empty();
            })
        // two batches in flight: one batch's round trips to PostgreSQL overlap the other's scoring
        // (disjoint customers, one transaction each)
        .flatMap(batch -> store(batch, asOf, null, profilesOnce), 2)
        .doOnNext(n -> progress.accept(stored.addAndGet(n)))
        .reduce(0L, Long::sum)
        .flatMap(
            n ->
                streamFailed.get() != null
                    ? Mono.<Long>error(streamFailed.get())
                    : rankRfm().thenReturn(n))
        .doOnNext(
            n ->
                log.info(
                    "Rescored {} customers as of {} in {} ms; {}",
                    n,
                    asOf,
                    (System.nanoTime() - t0) / 1_000_000,
                    phasesSince(phasesBefore)))
        .onErrorMap(e -> !(e instanceof RescoringFailure), e -> failure(e, stored.get()));
  }

  private static RescoringFailure failure(Throwable e, long stored) {
    RescoringFailure f = new RescoringFailure(e, stored);
    log.warn("Rescoring failed: {}", f.getMessage(), e);
    return f;
  }

  /** RFM over the population as stored now (also after a batch of the change feed's tests). */
  public Mono<Void> updateRfm() {
    return rankRfm();
  }

  private Mono<Void> rankRfm() {
    return timed(rfmTimer, rfm.rank());
  }

  /**
   * Scores and stores one batch; {@code cursor} (feed name, from and to) is moved in the same
   * transaction when the batch came from the change feed, and fails it if another replica moved it
   * first. Customers that cannot be scored are set aside and the cursor still moves.
   */
  public Mono<Long> store(List<Activity> batch, LocalDate asOf, FeedCursors.@Nullable Move cursor) {
    Checkpoint c = cursor == null ? null : new Checkpoint(cursor.to(), cursors.advance(cursor));
    return store(lines(batch), asOf, c, profiles.current().cache());
  }

  /**
   * Scores and stores one batch of a feed whatever its transport: {@code savePosition} (a feed
   * cursor, or Kafka offsets) is subscribed in the transaction that stores the batch; {@code
   * position} is recorded with any customer set aside.
   */
  public Mono<Long> store(
      List<Activity> batch, LocalDate asOf, long position, Mono<Void> savePosition) {
    return store(
        lines(batch), asOf, new Checkpoint(position, savePosition), profiles.current().cache());
  }

  /** Where a feed batch ends and how to store that, in the batch's transaction. */
  private record Checkpoint(long position, Mono<Void> save) {}

  /** Aggregates read in another shape than the stream's arrays: their inputs are written here. */
  private static List<ActivityLine> lines(List<Activity> batch) {
    return batch.stream().map(a -> new ActivityLine(a, null)).toList();
  }

  Mono<Long> store(
      List<ActivityLine> batch,
      LocalDate asOf,
      @Nullable Checkpoint cursor,
      Mono<Profiles> currentProfiles) {
    if (batch.isEmpty()) {
      return cursor == null ? Mono.just(0L) : tx.transactional(cursor.save()).thenReturn(0L);
    }
    // the happy path stays one transaction per batch; only a failed batch is split
    return storeBatch(batch, asOf, cursor, currentProfiles)
        .onErrorResume(
            e -> !Failures.systemic(e),
            e -> {
              Long position = cursor == null ? null : cursor.position();
              Mono<Long> isolated = isolate(batch, asOf, position, currentProfiles, e);
              return cursor == null
                  ? isolated
                  : isolated.flatMap(n -> tx.transactional(cursor.save()).thenReturn(n));
            });
  }

  /**
   * Stores the halves of a failed batch on their own, down to single customers; a customer that
   * fails alone is set aside. A failure that is nobody's (the database went away) ends it.
   */
  private Mono<Long> isolate(
      List<ActivityLine> batch,
      LocalDate asOf,
      @Nullable Long position,
      Mono<Profiles> currentProfiles,
      Throwable failure) {
    if (batch.size() == 1) {
      String id = batch.get(0).activity().customerId();
      String reason = Failures.rootMessage(failure);
      log.warn("Customer {} set aside, not scored as of {}: {}", id, asOf, reason);
      return setAside
          .record(id, reason, position)
          .doOnSuccess(v -> setAsideCount.increment())
          .thenReturn(0L);
    }
    int mid = batch.size() / 2;
    return Flux.just(batch.subList(0, mid), batch.subList(mid, batch.size()))
        .concatMap(
            half ->
                storeBatch(half, asOf, null, currentProfiles)
                    .onErrorResume(
                        e -> !Failures.systemic(e),
                        e -> isolate(half, asOf, position, currentProfiles, e)))
        .reduce(0L, Long::sum);
  }

  private Mono<Long> storeBatch(
      List<ActivityLine> batch,
      LocalDate asOf,
      @Nullable Checkpoint cursor,
      Mono<Profiles> currentProfiles) {
    String[] ids = batch.stream().map(l -> l.activity().customerId()).toArray(String[]::new);
    // plans made for this batch's tables as they are now: a generic plan cached while the tables
    // were empty kept seq-scanning them once they had grown (docs/benchmarks/rescoring.md)
    Mono<Void> plansForNow = db.sql("set local plan_cache_mode = force_custom_plan").then();
    Mono<Long> work =
        plansForNow
            .then(
                Mono.zip(
                    currentProfiles,
                    timed(readTimer, previous.of(ids, asOf)),
                    churn.activeForRescoring()))
            // scoring and encoding off the I/O event loop, which keeps decoding the stream
            .publishOn(Schedulers.parallel())
            .flatMap(
                t -> {
                  List<Previous> before = t.getT2();
                  long c0 = System.nanoTime();
                  List<Assessment> scored = new ArrayList<>(batch.size());
                  List<WarningPolicy.Before> latest = new ArrayList<>(batch.size());
                  for (int i = 0; i < batch.size(); i++) {
                    Activity a = batch.get(i).activity();
                    Aggregates.check(a);
                    Previous p = before.get(i);
                    scored.add(
                        ScoringEngine.assess(
                            a,
                            t.getT1().forCustomer(a.kind(), a.valueTier(), a.industry()),
                            asOf,
                            p.older(),
                            StoredAssessment.DEFAULT_RETENTION));
                    latest.add(p.latest());
                  }
                  // the active churn model's predictions for the batch, made here beside the
                  // scores and stored in the same transaction
                  List<Prediction> predicted =
                      t.getT3()
                          .map(
                              m ->
                                  ChurnService.predict(
                                      m,
                                      batch.stream().map(ActivityLine::activity).toList(),
                                      scored,
                                      asOf))
                          .orElse(List.of());
                  // rows encoded here; warnings go in the same statement
                  Mono<Void> writes =
                      writer
                          .write(scored, batch, before, WarningPolicy.warnings(scored, latest))
                          .then(churn.save(predicted));
                  scoreTimer.record(System.nanoTime() - c0, TimeUnit.NANOSECONDS);
                  return timed(writeTimer, writes)
                      .then(cursor == null ? Mono.<Void>empty() : cursor.save())
                      .thenReturn((long) scored.size());
                });
    return tx.transactional(work);
  }

  /** Records the time from subscription to success of {@code m}. */
  private static <T> Mono<T> timed(Timer timer, Mono<T> m) {
    return Mono.defer(
        () -> {
          long t0 = System.nanoTime();
          return m.doOnSuccess(v -> timer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS));
        });
  }

  private double[] phaseTotals() {
    return new double[] {
      readTimer.totalTime(TimeUnit.MILLISECONDS),
      scoreTimer.totalTime(TimeUnit.MILLISECONDS),
      writeTimer.totalTime(TimeUnit.MILLISECONDS),
      rfmTimer.totalTime(TimeUnit.MILLISECONDS)
    };
  }

  /** Milliseconds per phase since {@code before} (the feed's batches, if any ran, included). */
  private String phasesSince(double[] before) {
    double[] now = phaseTotals();
    return String.format(
        java.util.Locale.ROOT,
        "ms per phase: read=%.0f score=%.0f write=%.0f rfm=%.0f",
        now[0] - before[0],
        now[1] - before[1],
        now[2] - before[2],
        now[3] - before[3]);
  }
}
