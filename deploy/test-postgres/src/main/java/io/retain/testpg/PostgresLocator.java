package io.retain.testpg;

import io.retain.testpg.PgServer.Source;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "where does PostgreSQL come from" for tests, in this order: {@code TEST_PG_URL} if set
 * (it must work: never silently skipped) → a server on 127.0.0.1:5432 → Testcontainers when a
 * Docker daemon answers → embedded PostgreSQL (real binaries from zonky).
 *
 * <p>{@code TEST_PG_MODE} ({@code local}, {@code testcontainers}, {@code embedded}) forces one
 * branch, so CI and the tests can prove each of them.
 */
public final class PostgresLocator {

  private static final Logger log = LoggerFactory.getLogger(PostgresLocator.class);
  public static final String URL_ENV = "TEST_PG_URL";
  public static final String MODE_ENV = "TEST_PG_MODE";
  static final String DEFAULT_USER = "postgres";

  private PostgresLocator() {}

  /** Runs the lookup against an environment (normally {@code System.getenv()}). */
  public static PgServer locate(Map<String, String> env) {
    String url = env.get(URL_ENV);
    if (url != null && !url.isBlank()) {
      return fromConfiguredUrl(url.trim());
    }
    String mode = env.getOrDefault(MODE_ENV, "").trim().toLowerCase();
    String user = env.getOrDefault("TEST_PG_USER", DEFAULT_USER);
    switch (mode) {
      case "local":
        return localServer("127.0.0.1", 5432, user)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        MODE_ENV + "=local but 127.0.0.1:5432 did not answer"));
      case "testcontainers":
        return testcontainers()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        MODE_ENV + "=testcontainers but no Docker daemon answers"));
      case "embedded":
        return embedded();
      case "":
        break;
      default:
        throw new IllegalStateException(
            MODE_ENV + "=" + mode + " is not one of local, testcontainers, embedded");
    }
    return localServer("127.0.0.1", 5432, user)
        .or(PostgresLocator::testcontainers)
        .orElseGet(PostgresLocator::embedded);
  }

  /**
   * A configured server. Accepts {@code jdbc:postgresql://host:port/db?user=u&password=p} and
   * {@code postgresql://u:p@host:port/db}. Fails with a message saying what to fix when the server
   * does not answer.
   */
  public static PgServer fromConfiguredUrl(String url) {
    PgServer server;
    try {
      server = parse(url);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          URL_ENV
              + "='"
              + redact(url)
              + "' is not a PostgreSQL URL. Expected jdbc:postgresql://host:port/db?user=u&password=p"
              + " or postgresql://u:p@host:port/db.",
          e);
    }
    try (Connection c = connect(server, "postgres")) {
      log.info("Tests use PostgreSQL from {}: {}", URL_ENV, server);
      return server;
    } catch (SQLException e) {
      throw new IllegalStateException(
          URL_ENV
              + " points at "
              + server.host()
              + ":"
              + server.port()
              + " as '"
              + server.user()
              + "', but PostgreSQL did not accept the connection ("
              + e.getMessage()
              + "). Fix the URL, start that server, or unset "
              + URL_ENV
              + " to fall back to 127.0.0.1:5432, Testcontainers or embedded PostgreSQL.",
          e);
    }
  }

  static PgServer parse(String url) {
    String u = url.startsWith("jdbc:") ? url.substring(5) : url;
    URI uri = URI.create(u);
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("scheme " + uri.getScheme());
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host");
    }
    Map<String, String> q = new HashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        int i = kv.indexOf('=');
        if (i > 0) {
          q.put(kv.substring(0, i), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
      }
    }
    String user = q.getOrDefault("user", DEFAULT_USER);
    String password = q.getOrDefault("password", "");
    if (uri.getRawUserInfo() != null) {
      String[] up = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(up[0], StandardCharsets.UTF_8);
      password = up.length > 1 ? URLDecoder.decode(up[1], StandardCharsets.UTF_8) : "";
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    return new PgServer(Source.CONFIGURED_URL, uri.getHost(), port, user, password);
  }

  /** A server already listening on host:port that lets {@code user} in, if there is one. */
  public static Optional<PgServer> localServer(String host, int port, String user) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
    } catch (IOException e) {
      return Optional.empty();
    }
    PgServer server = new PgServer(Source.LOCAL_SERVER, host, port, user, "postgres");
    try (Connection c = connect(server, "postgres")) {
      log.info("Tests use the local PostgreSQL server {}", server);
      return Optional.of(server);
    } catch (SQLException e) {
      log.info("A server listens on {}:{} but refused {}: {}", host, port, user, e.getMessage());
      return Optional.empty();
    }
  }

  /** A PostgreSQL container, when a Docker daemon answers. */
  public static Optional<PgServer> testcontainers() {
    try {
      if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
        return Optional.empty();
      }
    } catch (Throwable t) {
      return Optional.empty();
    }
    var pg = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:17-alpine");
    pg.start();
    Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "testcontainers-pg-stop"));
    PgServer server =
        new PgServer(
            Source.TESTCONTAINERS,
            pg.getHost(),
            pg.getMappedPort(5432),
            pg.getUsername(),
            pg.getPassword());
    log.info("Tests use a Testcontainers PostgreSQL {}", server);
    return Optional.of(server);
  }

  /** An embedded PostgreSQL (real binaries) on a free port, stopped at JVM exit. */
  public static PgServer embedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      TestPostgres.onExit(
          () -> {
            try {
              pg.close();
            } catch (IOException e) {
              log.warn("Embedded PostgreSQL did not stop cleanly", e);
            }
          });
      PgServer server = new PgServer(Source.EMBEDDED, "127.0.0.1", pg.getPort(), "postgres", "");
      log.info("Tests use an embedded PostgreSQL {}", server);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("Embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  static Connection connect(PgServer server, String database) throws SQLException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", server.user());
    p.setProperty("password", server.password());
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(server.jdbcUrl(database), p);
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***")
        .replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
  }
}
