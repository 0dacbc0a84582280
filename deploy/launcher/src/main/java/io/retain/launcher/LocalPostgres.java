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
final class LocalPostgres implements AutoCloseable {

  private final PgServer server;
  private final EmbeddedPostgres embedded;

  private LocalPostgres(PgServer server, EmbeddedPostgres embedded) {
    this.server = server;
    this.embedded = embedded;
  }

  /** An external server; it must answer, or the launcher stops with what to fix. */
  static LocalPostgres external(String url) {
    return new LocalPostgres(PostgresLocator.fromConfiguredUrl(url), null);
  }

  /** Embedded PostgreSQL on {@code port}, data in {@code dataDir} (wiped first when fresh). */
  static LocalPostgres embedded(Path dataDir, int port, boolean fresh) throws IOException {
    if (fresh) {
      deleteTree(dataDir);
    }
    Files.createDirectories(dataDir.getParent());
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(java.time.Duration.ofSeconds(60))
            .start();
    return new LocalPostgres(
        new PgServer(PgServer.Source.EMBEDDED, "127.0.0.1", pg.getPort(), "postgres", ""), pg);
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
