package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway as its own JVM (the way it runs), stopped with SIGTERM: it drains and exits in well
 * under Reactor Netty's default 2 s quiet period, so a rolling update or a launcher restart does
 * not wait on an idle event loop.
 */
class ShutdownTest {

  @Test
  void exitsBeforeTheDefaultQuietPeriodCouldEnd() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("gateway-shutdown", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process gateway =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    GatewayApplication.class.getName(),
                    "--server.port=" + port,
                    // nothing listens on port 1: the gateway starts without a supergraph
                    "--retain.gateway.subgraphs.accounts=http://127.0.0.1:1/graphql"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness");
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(health).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .statusCode()
                      == 200);
      // a request has run, so the server's and the client's event loops are both up
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(503);

      long start = System.nanoTime();
      gateway.destroy(); // SIGTERM
      boolean exited = gateway.waitFor(10, TimeUnit.SECONDS);
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertThat(exited).as("exited within 10 s of SIGTERM").isTrue();
      assertThat(millis).as("ms from SIGTERM to exit; log: %s", log).isLessThan(2_000);
      assertThat(Files.readString(log)).contains("Graceful shutdown complete");
    } finally {
      gateway.destroyForcibly();
      new File(log.toString()).deleteOnExit();
    }
  }
}
