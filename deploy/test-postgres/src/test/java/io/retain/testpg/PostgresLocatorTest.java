package io.retain.testpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.retain.testpg.PgServer.Source;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Proves each branch of the PostgreSQL lookup that can run on this machine. */
class PostgresLocatorTest {

  @Test
  void configuredUrlThatWorksIsUsed() {
    PgServer local = PostgresLocator.locate(Map.of());
    String url =
        "jdbc:postgresql://"
            + local.host()
            + ":"
            + local.port()
            + "/postgres?user="
            + local.user()
            + "&password="
            + local.password();
    PgServer configured = PostgresLocator.locate(Map.of(PostgresLocator.URL_ENV, url));
    assertThat(configured.source()).isEqualTo(Source.CONFIGURED_URL);
    assertThat(configured.port()).isEqualTo(local.port());
    assertThat(selectOne(TestPostgres.createDatabase(configured, "configured"))).isEqualTo(1);
  }

  @Test
  void configuredButUnreachableUrlFailsWithWhatToFix() {
    // port 1 never runs PostgreSQL; the configured URL must not silently fall back
    assertThatThrownBy(
            () ->
                PostgresLocator.locate(
                    Map.of(
                        PostgresLocator.URL_ENV, "postgresql://alice:secret@127.0.0.1:1/postgres")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TEST_PG_URL points at 127.0.0.1:1 as 'alice'")
        .hasMessageContaining("Fix the URL, start that server, or unset TEST_PG_URL")
        .hasMessageNotContaining("secret");
  }

  @Test
  void configuredUrlThatIsNotPostgresIsRefused() {
    assertThatThrownBy(
            () -> PostgresLocator.locate(Map.of(PostgresLocator.URL_ENV, "mysql://db:3306/x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not a PostgreSQL URL");
  }

  @Test
  void parsesBothUrlForms() {
    assertThat(PostgresLocator.parse("jdbc:postgresql://h:6543/db?user=u&password=p%40"))
        .isEqualTo(new PgServer(Source.CONFIGURED_URL, "h", 6543, "u", "p@"));
    assertThat(PostgresLocator.parse("postgresql://u:pw@h/db"))
        .isEqualTo(new PgServer(Source.CONFIGURED_URL, "h", 5432, "u", "pw"));
  }

  @Test
  void localServerIsFoundWhenItAnswers() {
    Optional<PgServer> local = PostgresLocator.localServer("127.0.0.1", 5432, "postgres");
    assumeTrue(local.isPresent(), "no PostgreSQL on 127.0.0.1:5432 on this machine");
    assertThat(local.get().source()).isEqualTo(Source.LOCAL_SERVER);
    assertThat(selectOne(TestPostgres.createDatabase(local.get(), "local"))).isEqualTo(1);
  }

  @Test
  void nothingListeningMeansNoLocalServer() {
    assertThat(PostgresLocator.localServer("127.0.0.1", 1, "postgres")).isEmpty();
  }

  @Test
  void embeddedPostgresStartsAndServesARealDatabase() throws SQLException {
    PgServer embedded = PostgresLocator.embedded();
    assertThat(embedded.source()).isEqualTo(Source.EMBEDDED);
    TestDatabase db = TestPostgres.createDatabase(embedded, "embedded");
    try (Connection c = PostgresLocator.connect(embedded, db.name());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_database(), version()")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(db.name());
      assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
    }
  }

  @Test
  void eachDatabaseIsFreshAndDropped() throws SQLException {
    TestDatabase a = TestPostgres.createDatabase("fresh");
    TestDatabase b = TestPostgres.createDatabase("fresh");
    assertThat(a.name()).isNotEqualTo(b.name()).startsWith("it_fresh_");
    try (Connection c = PostgresLocator.connect(a.server(), a.name());
        Statement s = c.createStatement()) {
      s.execute("create table t(x int)");
    }
    TestPostgres.drop(a);
    try (Connection c = PostgresLocator.connect(b.server(), "postgres");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select count(*) from pg_database where datname = '" + a.name() + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void unknownModeIsRefused() {
    assertThatThrownBy(() -> PostgresLocator.locate(Map.of(PostgresLocator.MODE_ENV, "h2")))
        .hasMessageContaining("TEST_PG_MODE=h2 is not one of local, testcontainers, embedded");
  }

  private static int selectOne(TestDatabase db) {
    try (Connection c = PostgresLocator.connect(db.server(), db.name());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select 1")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
