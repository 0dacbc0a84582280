package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.retain.scoring.customer.ActivityAsArray;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * customer-service's bulk stream sends one customer and then nothing, its connection left open: the
 * full rescoring fails with a clear error after the idle timeout instead of waiting for ever, and
 * stores nothing half-done.
 */
@PostgresTest
@SpringBootTest(properties = "retain.remote.customer.stream-idle-timeout=1s")
@ActiveProfiles("test")
class StalledStreamTest {

  static final HttpServer STUB = stalling();

  static HttpServer stalling() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/internal/activity",
          exchange -> {
            String line;
            try {
              line =
                  ActivityAsArray.JSON.writeValueAsString(StoredScoresTest.workedExample().get(0));
            } catch (Exception e) {
              throw new IOException(e);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
              Thread.sleep(5_000); // then nothing more for five times the idle timeout
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add(
        "retain.remote.customer.url", () -> "http://127.0.0.1:" + STUB.getAddress().getPort());
  }

  @AfterAll
  static void stop() {
    STUB.stop(0);
  }

  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;

  @Test
  void aStreamThatStopsSendingFailsTheRescoringInsteadOfHangingIt() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> rescoring.rescoreAll(LocalDate.parse("2026-06-30")).block(Duration.ofSeconds(30)))
        .hasMessageContaining("activity stream sent nothing for PT1S");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    Long stored =
        db.sql("select count(*) as n from assessment_latest")
            .map((r, m) -> r.get("n", Long.class))
            .one()
            .block();
    assertThat(stored).isZero();
  }
}
