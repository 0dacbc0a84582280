package io.retain.support.jobs;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Leases on periodic jobs in table {@code job_lease} (docs/adr/0006-job-leases-jobs.md): a job runs
 * on the replica holding its lease; a holder renews it (each run, and {@link #renewHeld()} between
 * runs), and when the holder dies its lease expires after {@code ttl} and the next replica to try
 * takes it over. Expiry is judged by PostgreSQL's clock, so replicas' clocks need not agree.
 *
 * <p>A lease is a single-statement upsert on any pooled connection, not a session advisory lock: a
 * session lock belongs to one physical connection, which an R2DBC pool hands to other work and may
 * close, so it could be lost or leaked without the job knowing. A lease does not by itself stop a
 * stalled holder (a long GC pause past {@code ttl}) from finishing a run beside its successor: the
 * consumers also move their cursor with a compare-and-set in the same transaction as their effects,
 * so the second of two runs over the same events rolls back.
 */
public class JobLeases {

  private static final Logger log = LoggerFactory.getLogger(JobLeases.class);

  private final DatabaseClient db;
  private final String owner;
  private final Duration ttl;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final ObservationRegistry observations;

  public JobLeases(DatabaseClient db, String owner, Duration ttl) {
    this(db, owner, ttl, ObservationRegistry.NOOP);
  }

  /**
   * @param observations each run of a job is observed as {@value #JOB_OBSERVATION} (a trace of its
   *     own, tagged with the job's name; its statements and calls are its children)
   */
  public JobLeases(
      DatabaseClient db, String owner, Duration ttl, ObservationRegistry observations) {
    this.db = db;
    this.owner = owner;
    this.ttl = ttl;
    this.observations = observations;
  }

  /** The observation (span and timer) of one run of a leased job. */
  public static final String JOB_OBSERVATION = "retain.job";

  /** This replica's name in {@code job_lease.owner}. */
  public String owner() {
    return owner;
  }

  /** Takes or renews the lease on {@code job}; emits whether this replica holds it now. */
  public Mono<Boolean> acquire(String job) {
    return db.sql(
            """
            insert into job_lease (name, owner, acquired_at, expires_at)
            values ($1, $2, clock_timestamp(), clock_timestamp() + $3 * interval '1 millisecond')
            on conflict (name) do update set owner = excluded.owner,
              acquired_at = case when job_lease.owner = excluded.owner then job_lease.acquired_at
                                 else excluded.acquired_at end,
              expires_at = excluded.expires_at
            where job_lease.owner = excluded.owner or job_lease.expires_at < clock_timestamp()
            returning acquired_at
            """)
        .bind(0, job)
        .bind(1, owner)
        .bind(2, ttl.toMillis())
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0)
        .doOnNext(
            mine -> {
              if (mine && held.add(job)) {
                log.info("{} holds the lease on {} now", owner, job);
              } else if (!mine && held.remove(job)) {
                log.warn("{} lost the lease on {}", owner, job);
              }
            });
  }

  /**
   * Runs {@code work} if this replica holds (or can take) the lease on {@code job}, renewing it
   * every third of the ttl meanwhile; if a renewal finds the lease taken, the work is cancelled
   * (its open transaction rolls back). Empty when another replica holds the lease.
   */
  public <T> Mono<T> runIfOwner(String job, Mono<T> work) {
    return runIfOwner(job, () -> work);
  }

  /**
   * {@link #runIfOwner(String, Mono)} with the work built anew, once the lease is held, for each
   * subscription: the form for a reactive {@code @Scheduled} method. Spring calls such a method
   * once and subscribes the Mono it returned on every tick, so work built when the method is called
   * would run with what was read then (the clock, a cursor) on every tick; built here, each tick's
   * is fresh, and a replica without the lease builds none.
   */
  public <T> Mono<T> runIfOwner(String job, Supplier<? extends Mono<T>> work) {
    Mono<Boolean> lost =
        Flux.interval(ttl.dividedBy(3))
            // disposed where waiting is allowed (see JobRuns.run)
            .cancelOn(Schedulers.boundedElastic())
            .onBackpressureDrop()
            .concatMap(t -> acquire(job).onErrorReturn(true), 1)
            .filter(mine -> !mine)
            .next();
    return acquire(job)
        .flatMap(mine -> mine ? observed(job, work.get().takeUntilOther(lost)) : Mono.empty());
  }

  /** The run under its own observation: background work is a trace of its own, not a request's. */
  private <T> Mono<T> observed(String job, Mono<T> run) {
    return Mono.defer(
        () -> {
          Observation obs =
              Observation.createNotStarted(JOB_OBSERVATION, observations)
                  .contextualName(job)
                  .lowCardinalityKeyValue("job", job)
                  .start();
          return run.contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, obs))
              .doOnError(obs::error)
              .doFinally(signal -> obs.stop());
        });
  }

  /**
   * Renews every lease this replica holds (between runs, so that it keeps them): those held at each
   * subscription (a {@code @Scheduled} tick, see {@link #runIfOwner(String, Supplier)}).
   */
  public Mono<Void> renewHeld() {
    return Flux.defer(() -> Flux.fromIterable(List.copyOf(held))).concatMap(this::acquire).then();
  }

  /** Whether this replica held the lease on {@code job} at its last try. */
  public boolean holds(String job) {
    return held.contains(job);
  }

  /** Gives up every lease held here (a clean shutdown: the next replica need not wait ttl). */
  public Mono<Void> releaseAll() {
    List<String> names = List.copyOf(held);
    if (names.isEmpty()) {
      return Mono.empty();
    }
    held.clear();
    return db.sql("delete from job_lease where owner = $1 and name = any($2)")
        .bind(0, owner)
        .bind(1, names.toArray(String[]::new))
        .then();
  }
}
