package io.retain.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.testpg.PostgresTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The service starts on real PostgreSQL, is ready, and answers as a federation v2 subgraph. */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class SubgraphContractTest {

  @Autowired WebTestClient http;

  @Test
  void serviceSdlDeclaresCustomerEntityWithFederationV2() {
    http.post()
        .uri("/graphql")
        .bodyValue(java.util.Map.of("query", "{ _service { sdl } }"))
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
  void readinessAndLivenessAreUp() {
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
  }
}
