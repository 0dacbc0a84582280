package io.retain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.launcher.ServiceSpec;
import io.retain.launcher.Suite;
import io.retain.testpg.PgServer;
import io.retain.testpg.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher's staged start (how it loads demo data): the first service runs alone and ready
 * while the work before the others is done, the others start after it, and a failure of that work
 * still leaves the whole suite running.
 */
class StagedStartTest {

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theOthersStartOnlyAfterTheWorkOnTheFirstEvenWhenItFails() throws Exception {
    PgServer pg = TestPostgres.server();
    int base = LocalRunTest.freePortBlock();
    String prefix = "e2e_staged_" + UUID.randomUUID().toString().substring(0, 6);
    List<ServiceSpec> services =
        List.of(
            new ServiceSpec("customer-service", base + 1, prefix + "_customer"),
            new ServiceSpec("scoring-service", base + 2, prefix + "_scoring"));
    Suite.Config config =
        new Suite.Config(
            RunningSuite.ROOT,
            RunningSuite.ROOT.resolve("deploy/e2e/target/suite-logs/staged"),
            pg,
            services,
            "e2e-" + UUID.randomUUID() + "-" + UUID.randomUUID(),
            Map.of("RETAIN_SCORING_CHANGEFEED_ENABLED", "false"));
    List<String> seen = new ArrayList<>();
    Suite suite =
        Suite.start(
            config,
            Duration.ofMinutes(4),
            "customer-service",
            s -> {
              seen.add("running: " + s.pids().keySet());
              seen.add("customer-service readiness: " + readiness(base + 1));
              seen.add("scoring-service readiness: " + readiness(base + 2));
              throw new IllegalStateException("the demo import failed");
            });
    try {
      assertThat(seen)
          .containsExactly(
              "running: [customer-service]",
              "customer-service readiness: 200",
              "scoring-service readiness: not listening");
      assertThat(suite.pids().keySet()).containsExactly("customer-service", "scoring-service");
      assertThat(readiness(base + 2)).isEqualTo("200");
    } finally {
      suite.close();
      try (Connection c =
              DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
          Statement st = c.createStatement()) {
        for (ServiceSpec s : services) {
          st.execute("drop database if exists \"" + s.database() + "\" with (force)");
        }
      }
    }
  }

  private static String readiness(int port) {
    try {
      HttpResponse<Void> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return String.valueOf(r.statusCode());
    } catch (java.io.IOException e) {
      return "not listening";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
