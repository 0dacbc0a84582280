package io.retain.scoring.prediction;

import io.retain.support.graphql.ApiException;
import io.retain.support.jobs.JobLeases;
import io.retain.support.jobs.JobRuns;
import io.retain.support.jobs.JobTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Model fits as jobs ({@code prediction_job}, ADR 0020), in the rescoring job's shape: a start
 * returns the job at once and the work goes on in the background; the synchronous mutations run
 * through the same record in their request. At most one job of each kind runs across every replica
 * (a unique partial index: the insert of a second conflicts). A running job stores its progress
 * every {@code retain.scoring.jobs.heartbeat}; one whose replica stopped falls silent, and any
 * replica marks it FAILED (interrupted) once silent for {@code retain.scoring.jobs.stale-after}.
 */
@Service
public class PredictionJobs implements DisposableBean {

  /** What a job fits. */
  public enum Kind {
    CHURN_TRAINING("churn training"),
    PURCHASE_MODEL_FIT("purchase-model fit");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** A job as stored. */
  public record Job(
      long id,
      Kind kind,
      String input,
      String status,
      int stepsDone,
      int steps,
      @Nullable Integer resultVersion,
      @Nullable String errorCode,
      @Nullable String error,
      @Nullable String requestedBy,
      Instant createdAt,
      @Nullable Instant startedAt,
      @Nullable Instant finishedAt) {}

  /**
   * The work of a job: told its progress (steps done), it emits what it stored, or fails; an {@link
   * ApiException}'s code is the job's error code.
   */
  public record Work<R>(
      Kind kind,
      String input,
      int steps,
      Function<IntConsumer, Mono<R>> run,
      Function<R, Integer> version) {}

  /** The code of a start or run refused because a job of its kind is queued or running. */
  public static final String JOB_RUNNING = "JOB_RUNNING";

  /** A refused claim: the job in the way, in {@code details().runningJobId}. */
  private static ApiException running(Kind kind, long other) {
    return new ApiException(
            JOB_RUNNING,
            null,
            "no " + kind.label + " job queued or running",
            kind.label
                + " job "
                + other
                + " is still running; wait for it or follow it with predictionJob(id)")
        .with("runningJobId", String.valueOf(other));
  }

  private static final String COLUMNS =
      "id, kind, input, status, steps_done, steps, result_version, error_code, error, requested_by,"
          + " created_at, started_at, finished_at";

  private final DatabaseClient db;
  private final Clock clock;
  private final JobTable table;
  private final JobRuns runs;

  PredictionJobs(
      DatabaseClient db,
      Clock clock,
      @Value("${retain.scoring.jobs.heartbeat:2s}") Duration heartbeat,
      @Value("${retain.scoring.jobs.stale-after:30s}") Duration staleAfter,
      JobLeases leases) {
    this.db = db;
    this.clock = clock;
    this.table = new JobTable(db, clock, "prediction_job", staleAfter);
    this.runs = new JobRuns("prediction", heartbeat, leases);
  }

  /**
   * Records a job and runs it in the background: the job as started, or an {@link ApiException}
   * JOB_RUNNING (extension {@code runningJobId}) when one of its kind is queued or running.
   */
  public Mono<Job> start(Work<?> work, @Nullable String requestedBy) {
    return claim(work, requestedBy)
        .flatMap(
            id -> {
              // the run outlives this request: its own subscription (failures: in the job)
              execute(id, work).subscribe(v -> {}, e -> {});
              return job(id);
            });
  }

  /**
   * Runs a job in this request (the synchronous mutations), through the same record as {@link
   * #start}: emits what it stored; fails with JOB_RUNNING as {@link #start} does, or with the
   * work's own failure once it is recorded.
   */
  public <R> Mono<R> runNow(Work<R> work, @Nullable String requestedBy) {
    return claim(work, requestedBy)
        .flatMap(
            id ->
                execute(id, work)
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                new ApiException(
                                    "JOB_INTERRUPTED",
                                    null,
                                    "the job to run to its end",
                                    work.kind().label
                                        + " job "
                                        + id
                                        + " was stopped before it ended; see predictionJob(id)"))));
  }

  /** The new RUNNING job's id, or JOB_RUNNING; stale jobs are swept first. */
  private Mono<Long> claim(Work<?> work, @Nullable String requestedBy) {
    var spec =
        db.sql(
                """
                insert into prediction_job (kind, input, status, steps, requested_by, created_at,
                  started_at, heartbeat_at)
                values ($1, $2, 'RUNNING', $3, $4, $5, $5, $5)
                on conflict do nothing
                returning id
                """)
            .bind(0, work.kind().name())
            .bind(1, work.input())
            .bind(2, work.steps());
    spec = requestedBy == null ? spec.bindNull(3, String.class) : spec.bind(3, requestedBy);
    Mono<Long> inserted = spec.bind(4, clock.instant()).map((r, m) -> r.get(0, Long.class)).one();
    return sweep()
        .then(inserted)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    table
                        .active("kind", work.kind().name())
                        .flatMap(other -> Mono.error(running(work.kind(), other)))));
  }

  /**
   * Runs a RUNNING job to its end with its heartbeat, and records how it ended: emits the result,
   * fails with the work's failure once recorded, or completes empty when the job was stopped.
   */
  private <R> Mono<R> execute(long id, Work<R> work) {
    AtomicInteger done = new AtomicInteger();
    return runs.run(
            id,
            work.run().apply(done::set),
            () -> table.progress(id, "steps_done", done.get()),
            // the request that ran it went away: say so now, not after stale-after
            () ->
                finish(id, "FAILED", null, "CANCELLED", "cancelled: the request that ran it ended"))
        .flatMap(r -> finish(id, "SUCCEEDED", work.version().apply(r), null, null).thenReturn(r))
        .onErrorResume(
            e -> {
              String code = e instanceof ApiException api ? api.code() : "PREDICTION_FAILED";
              return finish(id, "FAILED", null, code, String.valueOf(e.getMessage()))
                  .then(Mono.error(e));
            });
  }

  private Mono<Void> finish(
      long id,
      String status,
      @Nullable Integer version,
      @Nullable String code,
      @Nullable String error) {
    var spec =
        db.sql(
                """
                update prediction_job set status = $2, result_version = $3, error_code = $4,
                  error = $5, finished_at = $6, heartbeat_at = $6,
                  steps_done = case when $2 = 'SUCCEEDED' then steps else steps_done end
                where id = $1 and status = 'RUNNING'
                """)
            .bind(0, id)
            .bind(1, status)
            .bind(5, clock.instant());
    spec = version == null ? spec.bindNull(2, Integer.class) : spec.bind(2, version);
    spec = code == null ? spec.bindNull(3, String.class) : spec.bind(3, code);
    spec = error == null ? spec.bindNull(4, String.class) : spec.bind(4, error);
    return spec.then();
  }

  /** Jobs whose replica stopped reporting progress: FAILED, interrupted. */
  Mono<Long> sweep() {
    return table.sweep("error_code = 'INTERRUPTED', ", "nothing was stored, start a new job");
  }

  /** A job by id; empty when there is none. */
  public Mono<Job> job(long id) {
    return db.sql("select " + COLUMNS + " from prediction_job where id = $1")
        .bind(0, id)
        .map((r, m) -> map(r))
        .one();
  }

  /** The most recent jobs, newest first. */
  public Mono<List<Job>> recent(int limit) {
    return db.sql("select " + COLUMNS + " from prediction_job order by id desc limit $1")
        .bind(0, limit)
        .map((r, m) -> map(r))
        .all()
        .collectList();
  }

  private static Job map(io.r2dbc.spi.Readable r) {
    return new Job(
        r.get("id", Long.class),
        Kind.valueOf(r.get("kind", String.class)),
        r.get("input", String.class),
        r.get("status", String.class),
        r.get("steps_done", Integer.class),
        r.get("steps", Integer.class),
        r.get("result_version", Integer.class),
        r.get("error_code", String.class),
        r.get("error", String.class),
        r.get("requested_by", String.class),
        r.get("created_at", OffsetDateTime.class).toInstant(),
        JobRuns.instant(r.get("started_at", OffsetDateTime.class)),
        JobRuns.instant(r.get("finished_at", OffsetDateTime.class)));
  }

  /**
   * At start and then every heartbeat, on the replica holding the watchdog's lease: a job of a
   * replica that stopped is marked interrupted.
   */
  @Scheduled(fixedDelayString = "${retain.scoring.jobs.heartbeat:2s}")
  Mono<Void> watchdog() {
    return runs.watchdog("scoring.prediction-watchdog", this::sweep);
  }

  @Override
  public void destroy() {
    runs.stopAll(
        id -> finish(id, "FAILED", null, "INTERRUPTED", "interrupted: scoring-service stopped"));
  }
}
