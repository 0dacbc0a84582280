package io.retain.support.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.testpg.PostgresTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every subgraph promises, inherited by a {@code SubgraphContractTest} in each service: it
 * starts on real PostgreSQL, is ready, exposes Prometheus metrics, and answers {@code _service {
 * sdl }} as a federation v2 subgraph whose {@code Customer} is keyed by {@code id}.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
public abstract class SubgraphContractTests {

  @Autowired protected WebTestClient http;

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
