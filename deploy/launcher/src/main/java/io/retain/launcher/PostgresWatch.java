package io.retain.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the local run's embedded PostgreSQL up: its postmaster is not a child process the launcher
 * holds (pg_ctl starts it), so its pid file is checked every {@code period}; a dead postmaster (a
 * crash, {@code kill -9}) is started again on the same data after a {@link RestartBackoff} delay,
 * the way {@link Supervisor} restarts services. An external server is not ours to watch.
 */
final class PostgresWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresWatch.class);

  private final LocalPostgres pg;
  private final RestartBackoff backoff;
  private final Path pidsFile;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "postgres-watch");
            t.setDaemon(true);
            return t;
          });
  private int restarts;
  private Instant upSince = Instant.now();
  private volatile boolean closed;

  PostgresWatch(LocalPostgres pg, RestartBackoff backoff, Path pidsFile) {
    this.pg = pg;
    this.backoff = backoff;
    this.pidsFile = pidsFile;
  }

  void start(Duration period) {
    if (pg.isEmbedded()) {
      scheduler.scheduleWithFixedDelay(
          this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void check() {
    if (closed || pg.running()) {
      return;
    }
    restarts = backoff.next(restarts, Duration.between(upSince, Instant.now()));
    Duration delay = backoff.delay(restarts);
    log.warn(
        "PostgreSQL (embedded) is not running; starting it again in {} s (restart {} in a row)",
        delay.toMillis() / 1000.0,
        restarts);
    try {
      Thread.sleep(delay.toMillis()); // the watch's own thread: the delay is the backoff itself
      if (closed) {
        return;
      }
      pg.restart();
      upSince = Instant.now();
      Pids.record(pidsFile, "postgres", pg.postmasterPid());
      log.info("PostgreSQL restarted (pid {})", pg.postmasterPid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.error("PostgreSQL could not be restarted; trying again", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
  }
}
