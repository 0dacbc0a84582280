package io.retain.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local run's embedded PostgreSQL killed hard ({@code kill -9} of the postmaster) is started
 * again by {@link PostgresWatch} on the same data: rows written before the kill are there after.
 */
class PostgresWatchTest {

  @TempDir Path work;

  @Test
  void aKilledPostmasterIsStartedAgainWithItsData() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (LocalPostgres pg = LocalPostgres.embedded(work.resolve("pgdata"), port, true);
        PostgresWatch watch =
            new PostgresWatch(
                pg,
                new RestartBackoff(
                    Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMinutes(5)),
                work.resolve("pids"))) {
      String url = pg.server().jdbcUrl("postgres");
      try (Connection c = DriverManager.getConnection(url, "postgres", "");
          Statement st = c.createStatement()) {
        st.execute("create table kept (v int); insert into kept values (42)");
      }
      long before = pg.postmasterPid();
      watch.start(Duration.ofMillis(200));

      assertThat(ProcessHandle.of(before).orElseThrow().destroyForcibly()).isTrue();

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(selectKept(url)).isEqualTo(42);
                // the watch records the new pid just after the restarted server answers
                assertThat(work.resolve("pids")).exists();
                assertThat(Files.readString(work.resolve("pids")))
                    .contains("postgres " + pg.postmasterPid());
              });
      assertThat(pg.postmasterPid()).isPositive().isNotEqualTo(before);
      assertThat(pg.running()).isTrue();
    }
  }

  private static int selectKept(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select v from kept")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
