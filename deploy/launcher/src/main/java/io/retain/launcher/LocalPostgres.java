package io.retain.launcher;

import io.retain.testpg.PgServer;
import io.retain.testpg.PostgresLocator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * PostgreSQL for a local run: the server named by {@code RETAIN_PG_URL}, or an embedded one whose
 * data lives in a git-ignored folder so it survives restarts.
 */
public final class LocalPostgres implements AutoCloseable {

  private final PgServer server;
  private final Path dataDir;
  // replaced when the embedded server is started again after it died
  private volatile EmbeddedPostgres embedded;

  private LocalPostgres(PgServer server, Path dataDir, EmbeddedPostgres embedded) {
    this.server = server;
    this.dataDir = dataDir;
    this.embedded = embedded;
  }

  /** An external server; it must answer, or the launcher stops with what to fix. */
  static LocalPostgres external(String url) {
    return new LocalPostgres(PostgresLocator.fromConfiguredUrl(url), null, null);
  }

  /** Embedded PostgreSQL on {@code port}, data in {@code dataDir} (wiped first when fresh). */
  static LocalPostgres embedded(Path dataDir, int port, boolean fresh) throws IOException {
    if (fresh) {
      deleteTree(dataDir);
    }
    Files.createDirectories(dataDir.getParent());
    EmbeddedPostgres pg = start(dataDir, port);
    return new LocalPostgres(
        new PgServer(PgServer.Source.EMBEDDED, "127.0.0.1", pg.getPort(), "postgres", ""),
        dataDir,
        pg);
  }

  private static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
    return builder(dataDir, port).start();
  }

  /**
   * An embedded server kept on {@code dataDir} across restarts, durable when killed (the fault
   * campaign starts its own from here too).
   */
  public static EmbeddedPostgres.Builder builder(Path dataDir, int port) {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        // the embedded default (off) loses the last commits when the server is killed
        .setServerConfig("synchronous_commit", "on")
        .setRegisterShutdownHook(false)
        .setPGStartupWait(java.time.Duration.ofSeconds(60));
  }

  /** The embedded postmaster's pid from its pid file, or -1 (external, or not running). */
  long postmasterPid() {
    return dataDir == null ? -1 : postmasterPid(dataDir);
  }

  /** The postmaster's pid from the pid file in {@code dataDir}, or -1 (not running). */
  public static long postmasterPid(Path dataDir) {
    try {
      return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** True when this is an external server (not ours to watch) or the embedded postmaster lives. */
  boolean running() {
    if (embedded == null) {
      return true;
    }
    long pid = postmasterPid();
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Starts the embedded server again on the same data and port after it died (crash recovery
   * replays its WAL); the services' pools reconnect on their own.
   */
  synchronized void restart() throws IOException {
    if (embedded == null || running()) {
      return;
    }
    try {
      // releases its lock on the data folder (its pg_ctl stop finds no server)
      embedded.close();
    } catch (IOException | RuntimeException dead) {
      // expected: the server it would stop is gone
    }
    embedded = start(dataDir, server.port());
  }

  PgServer server() {
    return server;
  }

  boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
