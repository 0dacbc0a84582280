package io.retain.support.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The statements every job table shares ({@code rescoring_job}, {@code prediction_job}; ADR 0020):
 * columns {@code id}, {@code status} (QUEUED, RUNNING, SUCCEEDED, FAILED), {@code heartbeat_at},
 * {@code finished_at} and {@code error}. Table and column names come from code, never from input.
 *
 * @param table the job table
 * @param staleAfter how long a running job may go without storing progress before any replica marks
 *     it interrupted
 */
public record JobTable(DatabaseClient db, Clock clock, String table, Duration staleAfter) {

  /** The id of a queued or running job, or 0. */
  public Mono<Long> active() {
    return active(null, null);
  }

  /**
   * The id of a queued or running job whose {@code column} holds {@code value} (a job kind), or 0.
   */
  public Mono<Long> active(@Nullable String column, @Nullable Object value) {
    var spec =
        db.sql(
            "select id from "
                + table
                + " where "
                + (value == null ? "true" : column + " = $1")
                + " and status in ('QUEUED', 'RUNNING') limit 1");
    if (value != null) spec = spec.bind(0, value);
    return spec.map((r, m) -> r.get(0, Long.class)).one().defaultIfEmpty(0L);
  }

  /**
   * Stores a running job's progress in {@code column} and its heartbeat: 0 rows when the job is no
   * longer running (another replica marked it interrupted).
   */
  public Mono<Long> progress(long id, String column, Object done) {
    return db.sql(
            "update "
                + table
                + " set "
                + column
                + " = $2, heartbeat_at = $3 where id = $1 and status = 'RUNNING'")
        .bind(0, id)
        .bind(1, done)
        .bind(2, clock.instant())
        .fetch()
        .rowsUpdated();
  }

  /**
   * Jobs whose replica stopped storing progress for {@code staleAfter}: FAILED, with an error
   * saying since when, then {@code afterwards} (what it left behind, what to do). {@code alsoSet}
   * adds assignments ({@code "error_code = 'INTERRUPTED', "}) for tables that have more columns.
   */
  public Mono<Long> sweep(String alsoSet, String afterwards) {
    Instant now = clock.instant();
    return db.sql(
            "update "
                + table
                + " set status = 'FAILED', finished_at = $1, "
                + alsoSet
                + """
                error = 'interrupted: its replica stopped (no progress stored since '
                  || to_char(heartbeat_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  || '); ' || $3
                where status in ('QUEUED', 'RUNNING') and heartbeat_at < $2
                """)
        .bind(0, now)
        .bind(1, now.minus(staleAfter))
        .bind(2, afterwards)
        .fetch()
        .rowsUpdated();
  }
}
