package io.retain.scoring.rescoring;

import io.retain.scoring.profile.ProfileRepository;
import io.retain.scoring.profile.ProfileRepository.Profiles;
import io.retain.support.graphql.ApiException;
import io.retain.support.jobs.JobLeases;
import io.retain.support.jobs.JobRuns;
import io.retain.support.jobs.JobTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Full rescorings as jobs ({@code rescoring_job}): started by a request that returns at once, run
 * in the background with their progress stored, at most one queued or running across every replica
 * (a unique partial index: the insert of a second one conflicts). A running job stores its progress
 * every {@code retain.scoring.jobs.heartbeat}; one whose replica stopped (a restart, a crash) stops
 * doing so, and any replica marks it FAILED (interrupted) once it has been silent for {@code
 * retain.scoring.jobs.stale-after}.
 */
@Service
class RescoringJobs implements DisposableBean {

  /** A job as stored. */
  record Job(
      long id,
      LocalDate asOf,
      @Nullable String profile,
      String status,
      long scored,
      @Nullable Long total,
      @Nullable String requestedBy,
      Instant createdAt,
      @Nullable Instant startedAt,
      @Nullable Instant finishedAt,
      @Nullable String error) {}

  /** A start: the job, or why none was started (with the job in the way, if any). */
  record Started(
      @Nullable Job job,
      @Nullable String code,
      @Nullable String message,
      @Nullable Long runningJobId) {}

  private static final String COLUMNS =
      "id, as_of, profile_name, status, scored, total, requested_by, created_at, started_at,"
          + " finished_at, error";

  private final DatabaseClient db;
  private final RescoringService rescoring;
  private final ProfileRepository profiles;
  private final Clock clock;
  private final JobTable table;
  private final JobRuns runs;

  RescoringJobs(
      DatabaseClient db,
      RescoringService rescoring,
      ProfileRepository profiles,
      Clock clock,
      @Value("${retain.scoring.jobs.heartbeat:2s}") Duration heartbeat,
      @Value("${retain.scoring.jobs.stale-after:30s}") Duration staleAfter,
      JobLeases leases) {
    this.db = db;
    this.rescoring = rescoring;
    this.profiles = profiles;
    this.clock = clock;
    this.table = new JobTable(db, clock, "rescoring_job", staleAfter);
    this.runs = new JobRuns("rescoring", heartbeat, leases);
  }

  /** Starts a job unless one is queued or running (here or on another replica). */
  Mono<Started> start(LocalDate asOf, @Nullable String profile, @Nullable String requestedBy) {
    Mono<Profiles> toUse = profiles.current().map(p -> profile == null ? p : only(p, profile));
    return profiles
        .current()
        .flatMap(
            p -> {
              if (profile != null && !p.byName().containsKey(profile)) {
                return Mono.just(
                    new Started(null, "NOT_FOUND", "no weight profile named " + profile, null));
              }
              return claim(asOf, profile, requestedBy)
                  .flatMap(
                      id -> {
                        // the run outlives this request: its own subscription, kept to stop it
                        // when the replica stops
                        execute(id, asOf, toUse)
                            .subscribe(n -> {}, e -> {}); // failures: in the job
                        return job(id);
                      })
                  .map(j -> new Started(j, null, null, null))
                  .onErrorResume(
                      JobRunning.class,
                      e -> Mono.just(new Started(null, CODE_RUNNING, e.getMessage(), e.other)));
            });
  }

  /**
   * Rescores everyone in this request (rescoreAll), through a job record like {@link #start}'s: so
   * it is refused while any rescoring job is queued or running (on any replica), refuses them while
   * it runs, and its progress is visible with rescoringJob(id). Emits the job as it ended; fails
   * with an {@link ApiException} JOB_RUNNING (extension {@code runningJobId}) when refused, nothing
   * scored, or with the rescoring's failure once it is recorded in the job.
   */
  Mono<Job> runNow(LocalDate asOf, @Nullable String requestedBy) {
    return claim(asOf, null, requestedBy)
        .onErrorMap(
            JobRunning.class,
            e ->
                new ApiException(
                        CODE_RUNNING, null, "no rescoring job queued or running", e.getMessage())
                    .with("runningJobId", String.valueOf(e.other)))
        .flatMap(
            id ->
                execute(id, asOf, profiles.current())
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                new ApiException(
                                    "JOB_INTERRUPTED",
                                    null,
                                    "the job to run to its end",
                                    "rescoring job "
                                        + id
                                        + " was stopped before it ended; see rescoringJob(id)")))
                    .then(job(id)));
  }

  private static final String CODE_RUNNING = "JOB_RUNNING";

  /** The refusal of a claim: the job queued or running in the way. */
  private static final class JobRunning extends RuntimeException {
    private final long other;

    JobRunning(long other) {
      super(
          "rescoring job "
              + other
              + " is still running; wait for it or follow it with rescoringJob(id)");
      this.other = other;
    }
  }

  /**
   * Records a new job and marks it RUNNING: its id, or {@link JobRunning} when one is queued or
   * running already (the unique partial index decides between replicas).
   */
  private Mono<Long> claim(LocalDate asOf, @Nullable String profile, @Nullable String requestedBy) {
    return sweep()
        .then(insert(asOf, profile, requestedBy))
        .flatMap(
            id ->
                id == 0
                    ? table.active().flatMap(other -> Mono.<Long>error(new JobRunning(other)))
                    : markRunning(id).thenReturn(id));
  }

  /** Everyone scored with one profile, whatever is assigned (still recorded per score). */
  private static Profiles only(Profiles p, String name) {
    return new Profiles(Map.of("default", p.byName().get(name)), p.byVersion(), Map.of(), Map.of());
  }

  /** The new job's id, or 0 when one is already queued or running. */
  private Mono<Long> insert(
      LocalDate asOf, @Nullable String profile, @Nullable String requestedBy) {
    var spec =
        db.sql(
                """
                insert into rescoring_job (as_of, profile_name, status, requested_by, created_at,
                  heartbeat_at)
                values ($1, $2, 'QUEUED', $3, $4, $4)
                on conflict do nothing
                returning id
                """)
            .bind(0, asOf);
    spec = profile == null ? spec.bindNull(1, String.class) : spec.bind(1, profile);
    spec = requestedBy == null ? spec.bindNull(2, String.class) : spec.bind(2, requestedBy);
    return spec.bind(3, clock.instant())
        .map((r, m) -> r.get(0, Long.class))
        .one()
        .defaultIfEmpty(0L);
  }

  private Mono<Void> markRunning(long id) {
    Instant now = clock.instant();
    return db.sql(
            """
            update rescoring_job set status = 'RUNNING', started_at = $2, heartbeat_at = $2,
              total = (select count(*) from assessment_latest)
            where id = $1
            """)
        .bind(0, id)
        .bind(1, now)
        .then();
  }

  /**
   * Runs a RUNNING job to its end, storing its progress every heartbeat and how it ended: emits the
   * count, fails with the rescoring's failure once recorded, or completes empty when the job was
   * stopped (marked interrupted by another replica, this replica stopping, its request cancelled).
   */
  private Mono<Long> execute(long id, LocalDate asOf, Mono<Profiles> toUse) {
    AtomicLong scored = new AtomicLong();
    return runs.run(
            id,
            rescoring.rescoreAll(asOf, toUse, scored::set),
            () -> table.progress(id, "scored", scored.get()),
            // the request that ran it went away (rescoreAll): say so now, not after stale-after
            () -> finish(id, "FAILED", null, "cancelled: the request that ran it ended"))
        .flatMap(n -> finish(id, "SUCCEEDED", n, null).thenReturn(n))
        .onErrorResume(
            e -> {
              long stored = e instanceof RescoringFailure f ? f.stored() : scored.get();
              return finish(id, "FAILED", stored, e.getMessage()).then(Mono.error(e));
            });
  }

  /** Ends a running job; a null {@code scored} keeps the progress last stored. */
  private Mono<Void> finish(long id, String status, @Nullable Long scored, @Nullable String error) {

    var spec =
        db.sql(
                """
                update rescoring_job set status = $2, scored = coalesce($3, scored), finished_at = $4,
                  heartbeat_at = $4, error = $5
                where id = $1 and status = 'RUNNING'
                """)
            .bind(0, id)
            .bind(1, status)
            .bind(3, clock.instant());
    spec = scored == null ? spec.bindNull(2, Long.class) : spec.bind(2, scored);
    spec = error == null ? spec.bindNull(4, String.class) : spec.bind(4, error);
    return spec.then();
  }

  /** Jobs whose replica stopped reporting progress: FAILED, interrupted. */
  Mono<Long> sweep() {
    return table.sweep("", "customers stored before keep their new scores, start a new job");
  }

  Mono<Job> job(long id) {
    return db.sql("select " + COLUMNS + " from rescoring_job where id = $1")
        .bind(0, id)
        .map((r, m) -> map(r))
        .one();
  }

  Mono<List<Job>> recent(int limit) {
    return db.sql("select " + COLUMNS + " from rescoring_job order by id desc limit $1")
        .bind(0, limit)
        .map((r, m) -> map(r))
        .all()
        .collectList();
  }

  private static Job map(io.r2dbc.spi.Readable r) {
    return new Job(
        r.get("id", Long.class),
        r.get("as_of", LocalDate.class),
        r.get("profile_name", String.class),
        r.get("status", String.class),
        r.get("scored", Long.class),
        r.get("total", Long.class),
        r.get("requested_by", String.class),
        r.get("created_at", OffsetDateTime.class).toInstant(),
        JobRuns.instant(r.get("started_at", OffsetDateTime.class)),
        JobRuns.instant(r.get("finished_at", OffsetDateTime.class)),
        r.get("error", String.class));
  }

  /**
   * At start and then every heartbeat, on the replica holding the watchdog's lease: a job of a
   * replica that stopped is marked interrupted.
   */
  @Scheduled(fixedDelayString = "${retain.scoring.jobs.heartbeat:2s}")
  Mono<Void> watchdog() {
    return runs.watchdog("scoring.rescoring-watchdog", this::sweep);
  }

  @Override
  public void destroy() {
    runs.stopAll(
        id -> finish(id, "FAILED", null, "interrupted: scoring-service stopped while it ran"));
  }
}
