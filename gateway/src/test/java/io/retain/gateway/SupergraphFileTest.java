package io.retain.gateway;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The harness of the tests that run the gateway from a composer-form supergraph file (under {@code
 * src/test/resources/supergraph/}) over real HTTP test subgraphs: the file with the subgraphs' URLs
 * filled in, a wait for the supergraph to load, and a POST helper.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SupergraphFileTest {

  @Autowired WebTestClient http;
  @Autowired GatewayState state;

  /** The subgraphs whose received requests each test counts from zero; closed after the class. */
  abstract List<TestSubgraph> subgraphs();

  @AfterAll
  void closeSubgraphs() {
    subgraphs().forEach(TestSubgraph::close);
  }

  /** {@code resource} with each {@code {{NAME}}} replaced by its subgraph's URL, as a temp file. */
  static String supergraphFile(String resource, Map<String, TestSubgraph> urls) {
    try {
      String sdl = Files.readString(Path.of("src/test/resources/supergraph/" + resource));
      for (var e : urls.entrySet()) {
        sdl = sdl.replace("{{" + e.getKey() + "}}", e.getValue().url());
      }
      Path f = Files.createTempFile("supergraph", ".graphql");
      Files.writeString(f, sdl);
      f.toFile().deleteOnExit();
      return "file:" + f;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void awaitSupergraph() throws InterruptedException {
    GatewayTests.awaitSupergraph(state);
    // CI shares two cores: the first planned request may take longer than the 5 s default
    http = http.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    subgraphs().forEach(s -> s.received.clear());
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> post(String query) {
    return http.post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("query", query))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }
}
