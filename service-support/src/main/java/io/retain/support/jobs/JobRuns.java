package io.retain.support.jobs;

import io.retain.support.graphql.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The runs of jobs recorded in a table (a rescoring, a model fit; ADR 0020) on this replica: each
 * stores its progress and heartbeat while it runs, so that a watchdog on any replica can tell a job
 * whose replica died (silent) from one still running, and this replica's are stopped and recorded
 * on a clean shutdown.
 */
public final class JobRuns {

  private static final Logger log = LoggerFactory.getLogger(JobRuns.class);

  private final String what;
  private final Duration heartbeat;
  private final JobLeases leases;
  private final Map<Long, Runnable> stops = new ConcurrentHashMap<>();

  /**
   * A job id as the API takes it (digits, as {@code ID}), or BAD_USER_INPUT on {@code id} naming
   * what was expected.
   */
  public static long parseId(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw ApiException.badInput("id", "a job id (digits)", "no job id: " + id);
    }
  }

  /**
   * @param what the jobs' name in logs ("rescoring")
   * @param heartbeat how often a running job stores its progress (and the watchdog looks)
   */
  public JobRuns(String what, Duration heartbeat, JobLeases leases) {
    this.what = what;
    this.heartbeat = heartbeat;
    this.leases = leases;
  }

  /**
   * Runs job {@code id}'s {@code work}, storing {@code beat} (the rows it updated) every heartbeat.
   * Once a beat updates nothing (another replica marked the job interrupted while this one
   * stalled), or {@link #stopAll} stops it, the work is cancelled and the result completes empty: a
   * job never runs beside the one started after it. A beat that fails counts as alive (the database
   * may be back next time; the watchdog judges silence). {@code cancelled} records a run whose
   * subscriber went away (a synchronous mutation's request).
   */
  public <T> Mono<T> run(
      long id, Mono<T> work, Supplier<Mono<Long>> beat, Supplier<Mono<Void>> cancelled) {
    Sinks.One<Boolean> stop = Sinks.one();
    Mono<Long> notRunning =
        Flux.interval(heartbeat)
            // stopped when the work ends, often on an event loop: disposing the periodic task may
            // wait on the timer queue's lock (BlockHound fails it, and the pool recycling a
            // connection on that thread loses it), so it is disposed where waiting is allowed
            .cancelOn(Schedulers.boundedElastic())
            .onBackpressureDrop()
            .concatMap(t -> beat.get().onErrorResume(e -> Mono.just(1L)), 1)
            .filter(updated -> updated == 0)
            .next()
            .doOnNext(
                x -> log.warn("{} job {} was marked interrupted meanwhile; stopping", what, id));
    return work.takeUntilOther(Mono.firstWithSignal(notRunning, stop.asMono()))
        .doOnSubscribe(s -> stops.put(id, () -> stop.tryEmitValue(true)))
        .doOnCancel(
            () ->
                cancelled
                    .get()
                    .subscribe(v -> {}, e -> log.warn("{} job {} not marked cancelled", what, id)))
        .doFinally(s -> stops.remove(id));
  }

  /** One watchdog tick for a {@code @Scheduled} method: {@code sweep} on the lease holder. */
  public Mono<Void> watchdog(String lease, Supplier<Mono<Long>> sweep) {
    return leases
        .runIfOwner(lease, sweep)
        .filter(n -> n > 0)
        .doOnNext(n -> log.warn("Marked {} interrupted {} job(s) FAILED", n, what))
        .onErrorResume(e -> Mono.empty())
        .then();
  }

  /**
   * A clean shutdown: this replica's jobs stop, each recorded by {@code end} now, not stale-after.
   */
  public void stopAll(LongFunction<Mono<Void>> end) {
    stops.forEach(
        (id, stop) -> {
          stop.run();
          end.apply(id).onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
        });
  }

  /** A nullable timestamp column as an Instant. */
  public static @Nullable Instant instant(@Nullable OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
