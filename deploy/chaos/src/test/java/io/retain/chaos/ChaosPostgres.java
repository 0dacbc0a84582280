package io.retain.chaos;

import io.retain.launcher.LocalPostgres;
import io.retain.testpg.PgServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * A PostgreSQL server the campaign owns (embedded binaries, its own data folder and free port), so
 * it may {@code kill -9} it: never the machine's shared server other tests use. Restarted on the
 * same data, it recovers from its WAL; commits are synchronous, so what a service was told is
 * committed survives (the launcher's {@code LocalPostgres} does the same; it is package-private
 * there and owned by another change, hence this small copy of the start options).
 */
final class ChaosPostgres implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private volatile EmbeddedPostgres embedded;

  private ChaosPostgres(Path dataDir, int port) throws IOException {
    this.dataDir = dataDir;
    this.port = port;
    this.embedded = start();
  }

  /** A fresh server on {@code port} with its data in {@code dataDir} (a folder not there yet). */
  static ChaosPostgres fresh(Path dataDir, int port) throws IOException {
    if (Files.exists(dataDir)) {
      throw new IllegalArgumentException(dataDir + " exists; a campaign starts on empty data");
    }
    Files.createDirectories(dataDir.getParent());
    return new ChaosPostgres(dataDir, port);
  }

  private EmbeddedPostgres start() throws IOException {
    return LocalPostgres.builder(dataDir, port)
        .setServerConfig("max_connections", "200")
        .setPGStartupWait(Duration.ofSeconds(120))
        .start();
  }

  PgServer server() {
    return new PgServer(PgServer.Source.EMBEDDED, "127.0.0.1", port, "postgres", "");
  }

  /** The postmaster's pid from its pid file, or -1. */
  long postmasterPid() {
    return LocalPostgres.postmasterPid(dataDir);
  }

  /** {@code kill -9} of the postmaster; returns once it is gone. */
  void kill9() {
    long pid = postmasterPid();
    ProcessHandle h =
        ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
    h.destroyForcibly();
    h.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
  }

  /**
   * Starts the server again on the same data after a kill. Its backends notice the postmaster's
   * death and exit on their own; until they have, a new postmaster refuses the data folder, so the
   * start is tried again until a deadline.
   */
  synchronized void restart(Duration timeout) throws Exception {
    try {
      embedded.close(); // releases the data folder's lock; its pg_ctl stop finds no server
    } catch (IOException | RuntimeException dead) {
      // expected: the server it would stop is gone
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        embedded = start();
        return;
      } catch (IOException | RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }

  /** Whether the server accepts a connection now. */
  boolean accepts() {
    try (Connection c = DriverManager.getConnection(server().jdbcUrl("postgres"), "postgres", "")) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    embedded.close();
  }
}
