package io.retain.testpg;

/**
 * A reachable PostgreSQL server and where it came from.
 *
 * @param source which branch of the lookup found it
 * @param host host name or address
 * @param port TCP port
 * @param user a role allowed to create databases
 * @param password its password (ignored by trust auth)
 */
public record PgServer(Source source, String host, int port, String user, String password) {

  /** The lookup branches, in the order they are tried. */
  public enum Source {
    CONFIGURED_URL,
    LOCAL_SERVER,
    TESTCONTAINERS,
    EMBEDDED
  }

  /** JDBC URL of one database on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** R2DBC URL of one database on this server. */
  public String r2dbcUrl(String database) {
    return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    // never print the password
    return source + " " + user + "@" + host + ":" + port;
  }
}
