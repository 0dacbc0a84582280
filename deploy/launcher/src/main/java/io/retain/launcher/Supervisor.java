package io.retain.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the local run's services up: a service process that exits while the suite runs (a crash, an
 * OOM kill, or {@code kill <pid>} to restart it on purpose) is started again after a {@link
 * RestartBackoff} delay, and the log says so. Services stopped through {@link Suite#stop} or {@link
 * Suite#close} are left stopped.
 */
final class Supervisor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  private final Suite suite;
  private final RestartBackoff backoff;
  private final Path pidsFile;
  private final Duration readyTimeout;
  // several threads: one restart waiting for readiness must not delay another's
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "suite-supervisor");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
  private volatile boolean closed;

  Supervisor(Suite suite, RestartBackoff backoff, Path pidsFile, Duration readyTimeout) {
    this.suite = suite;
    this.backoff = backoff;
    this.pidsFile = pidsFile;
    this.readyTimeout = readyTimeout;
  }

  /** Watches every service the suite runs now. */
  void start() {
    suite.config().services().forEach(s -> watch(s, Instant.now()));
  }

  private void watch(ServiceSpec s, Instant started) {
    Process p = suite.process(s.id()).orElse(null);
    if (p == null) {
      return;
    }
    p.onExit().thenAccept(exited -> exited(s, exited, started));
  }

  private void exited(ServiceSpec s, Process exited, Instant started) {
    // stopped on purpose (stop/close took it out of the suite first), or shutting down
    if (closed || suite.process(s.id()).orElse(null) != exited) {
      return;
    }
    Duration uptime = Duration.between(started, Instant.now());
    int n = restarts.merge(s.id(), 1, (prev, one) -> backoff.next(prev, uptime));
    Duration delay = backoff.delay(n);
    log.warn(
        "{} (pid {}) exited with code {} after {} s; restarting in {} s (restart {} in a row)",
        s.id(),
        exited.pid(),
        exited.exitValue(),
        uptime.toSeconds(),
        delay.toMillis() / 1000.0,
        n);
    scheduler.schedule(() -> restart(s, exited), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void restart(ServiceSpec s, Process exited) {
    if (closed || suite.process(s.id()).orElse(null) != exited) {
      return;
    }
    Instant started = Instant.now();
    try {
      suite.launch(s);
    } catch (IOException | RuntimeException e) {
      log.error("{} could not be restarted: {}; trying again", s.id(), e.getMessage());
      scheduler.schedule(
          () -> exited(s, exited, started), backoff.first().toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    suite.process(s.id()).ifPresent(p -> Pids.record(pidsFile, s.id(), p.pid()));
    watch(s, started);
    try {
      suite.awaitReady(readyTimeout, s);
      log.info("{} restarted and ready", s.id());
    } catch (RuntimeException e) {
      // its exit (if it died) is handled by the watch above; otherwise it is still starting
      log.warn("{} restarted but not ready yet: {}", s.id(), e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
  }
}
