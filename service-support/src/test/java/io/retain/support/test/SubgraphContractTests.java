package io.retain.support.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactory;
import io.retain.support.r2dbc.GuardedConnectionTest;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * What every subgraph promises, inherited by a {@code SubgraphContractTest} in each service: it
 * starts on real PostgreSQL, is ready, exposes Prometheus metrics, and answers {@code _service {
 * sdl }} as a federation v2 subgraph whose {@code Customer} is keyed by {@code id}, and its
 * database pool survives a query cancelled while its rows arrive.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
public abstract class SubgraphContractTests {

  @Autowired protected WebTestClient http;
  @Autowired ConnectionFactory connections;

  @Test
  void aQueryCancelledWhileItsRowsArriveLeavesNoConnectionOfThePoolBlocked() {
    GuardedConnectionTest.cancelWhileRowsArrive(connections).block(Duration.ofSeconds(10));
    int size = 4; // spring.r2dbc.pool.max-size in tests
    DatabaseClient db = DatabaseClient.create(connections);
    Long answered =
        Flux.range(0, size)
            .flatMap(x -> db.sql("select pg_sleep(0.2)").fetch().rowsUpdated(), size)
            .count()
            .block(Duration.ofSeconds(20));
    assertThat(answered).isEqualTo(size);
  }

  @Test
  void serviceSdlDeclaresCustomerEntityWithFederationV2() {
    http.post()
        .uri("/graphql")
        .bodyValue(Map.of("query", "{ _service { sdl } }"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.data._service.sdl")
        .value(
            String.class,
            sdl ->
                assertThat(sdl)
                    .contains("https://specs.apollo.dev/federation/v2.7")
                    .containsPattern("type Customer @key\\(fields ?: ?\"id\""));
  }

  @Test
  void readinessLivenessAndMetricsAnswer() {
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    http.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
  }
}
