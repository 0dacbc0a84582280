package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code retain.gateway.documents.mode=manifest}: only the manifest's documents run. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class TrustedDocumentsModeTest {

  static final String TRUSTED = "query Me { me { name } }";
  static final TestSubgraph ACCOUNTS =
      FederationGatewayTest.start(
              """
              type Query { me: User }
              type User @key(fields: "id") { id: ID!  name: String!  email: String }
              """)
          .fetch("Query", "me", e -> Map.of("id", "u1", "name", "Ada", "email", "ada@x"));

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) throws Exception {
    GatewayTests.federate(r, Map.of("accounts", ACCOUNTS));
    Path manifest = Files.createTempFile("manifest", ".json");
    Files.writeString(
        manifest,
        "{\"format\":\"apollo-persisted-query-manifest\",\"version\":1,\"operations\":[{\"id\":\""
            + PersistedQueriesTest.sha256(TRUSTED)
            + "\",\"name\":\"Me\",\"type\":\"query\",\"body\":\""
            + TRUSTED
            + "\"}]}");
    manifest.toFile().deleteOnExit();
    r.add("retain.gateway.documents.mode", () -> "manifest");
    r.add("retain.gateway.documents.manifests", () -> "file:" + manifest);
  }

  @AfterAll
  static void close() {
    ACCOUNTS.close();
  }

  @Autowired WebTestClient http;
  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() {
    GatewayTests.awaitSupergraph(state);
  }

  Map<String, Object> post(Map<String, Object> body, MediaType accept, int status) {
    @SuppressWarnings("unchecked")
    Map<String, Object> answer =
        http.post()
            .uri("/graphql")
            .contentType(MediaType.APPLICATION_JSON)
            .accept(accept)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    return answer;
  }

  @Test
  void aTrustedDocumentRunsByHashAndByText() {
    Map<String, Object> byHash =
        post(
            Map.of("extensions", PersistedQueriesTest.pq(PersistedQueriesTest.sha256(TRUSTED))),
            MediaType.APPLICATION_JSON,
            200);
    assertThat(byHash.get("data")).isEqualTo(Map.of("me", Map.of("name", "Ada")));
    assertThat(post(Map.of("query", TRUSTED), MediaType.APPLICATION_JSON, 200).get("data"))
        .isEqualTo(byHash.get("data"));
  }

  @Test
  void anyOtherDocumentIsRefusedWithItsCodeAndNeverReachesTheSubgraph() {
    int before = ACCOUNTS.received.size();
    String other = "{ me { email } }";
    for (Map<String, Object> body :
        List.<Map<String, Object>>of(
            Map.of("query", other),
            Map.of(
                "query",
                other,
                "extensions",
                PersistedQueriesTest.pq(PersistedQueriesTest.sha256(other))))) {
      Map<String, Object> refused = post(body, MediaType.APPLICATION_JSON, 200);
      assertThat(PersistedQueriesTest.code(refused)).isEqualTo("PERSISTED_QUERY_NOT_IN_LIST");
      assertThat(refused).doesNotContainKey("data");
    }
    // the GraphQL-over-HTTP media type makes a request error a 400
    assertThat(
            PersistedQueriesTest.code(
                post(
                    Map.of("query", other),
                    MediaType.parseMediaType("application/graphql-response+json"),
                    400)))
        .isEqualTo("PERSISTED_QUERY_NOT_IN_LIST");
    assertThat(ACCOUNTS.received).hasSize(before);
  }
}
