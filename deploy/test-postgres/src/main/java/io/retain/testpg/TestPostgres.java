package io.retain.testpg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point for tests: {@link #createDatabase(String)} gives each caller a fresh database on
 * the server {@link PostgresLocator} found, dropped at JVM exit.
 */
public final class TestPostgres {

  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  private static PgServer server;
  private static final List<Runnable> exitActions = new ArrayList<>();
  private static final List<TestDatabase> created = new ArrayList<>();

  static {
    // One hook, so databases are dropped before an embedded server stops.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(TestPostgres::cleanUp, "test-postgres-cleanup"));
  }

  private TestPostgres() {}

  /** The server for this JVM, found once. */
  public static synchronized PgServer server() {
    if (server == null) {
      server = PostgresLocator.locate(System.getenv());
    }
    return server;
  }

  /** Creates {@code it_<hint>_<random>} on the shared server. */
  public static TestDatabase createDatabase(String hint) {
    return createDatabase(server(), hint);
  }

  /** Creates {@code it_<hint>_<random>} on a given server; dropped at JVM exit. */
  public static TestDatabase createDatabase(PgServer on, String hint) {
    String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    String name = "it_" + clean + "_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = PostgresLocator.connect(on, "postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database " + name + " on " + on, e);
    }
    TestDatabase db = new TestDatabase(on, name);
    synchronized (TestPostgres.class) {
      created.add(db);
    }
    return db;
  }

  /** Drops a database now (terminating its connections). */
  public static void drop(TestDatabase db) {
    try (Connection c = PostgresLocator.connect(db.server(), "postgres");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS \"" + db.name() + "\" WITH (FORCE)");
    } catch (SQLException e) {
      log.warn("Could not drop test database {}: {}", db.name(), e.getMessage());
    }
    synchronized (TestPostgres.class) {
      created.remove(db);
    }
  }

  static synchronized void onExit(Runnable action) {
    exitActions.add(action);
  }

  private static void cleanUp() {
    List<TestDatabase> toDrop;
    synchronized (TestPostgres.class) {
      toDrop = new ArrayList<>(created);
    }
    toDrop.forEach(TestPostgres::drop);
    List<Runnable> actions;
    synchronized (TestPostgres.class) {
      actions = new ArrayList<>(exitActions);
    }
    actions.forEach(Runnable::run);
  }
}
