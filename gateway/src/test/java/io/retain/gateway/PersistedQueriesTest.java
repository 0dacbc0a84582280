package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.HashMap;
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

/**
 * Automatic persisted queries over HTTP (POST and GET) in the default open mode, and the query plan
 * an ADMIN can ask for.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class PersistedQueriesTest {

  static final TestSubgraph ACCOUNTS =
      FederationGatewayTest.start(
              """
              type Query { me: User }
              type User @key(fields: "id") { id: ID!  name: String! }
              """)
          .fetch("Query", "me", e -> Map.of("id", "u1", "name", "Ada"));
  static final TestSubgraph REVIEWS =
      FederationGatewayTest.start(
              """
              type Query { reviewsVersion: String }
              type User @key(fields: "id") { id: ID!  reviewCount: Int! }
              """)
          .entities((t, r) -> Map.of("__typename", "User", "id", r.get("id"), "reviewCount", 3));

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(r, Map.of("accounts", ACCOUNTS, "reviews", REVIEWS));
  }

  @AfterAll
  static void close() {
    ACCOUNTS.close();
    REVIEWS.close();
  }

  @Autowired WebTestClient http;
  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() {
    GatewayTests.awaitSupergraph(state);
  }

  // a document no other test sends: the gateway's registry is per JVM
  static final String DOC = "query Me { me { name reviewCount } }";
  static final String HASH = "5c0f7d1d6f2e4c2a8b2f0a1e3d8c7b6a5f4e3d2c1b0a99887766554433221100";

  static Map<String, Object> pq(String hash) {
    return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
  }

  Map<String, Object> post(Map<String, Object> body, int status, String... headers) {
    var req = http.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON);
    for (int i = 0; i < headers.length; i += 2) req = req.header(headers[i], headers[i + 1]);
    @SuppressWarnings("unchecked")
    Map<String, Object> answer =
        req.bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    return answer;
  }

  static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static Object code(Map<String, Object> answer) {
    return ((Map<?, ?>) ((Map<?, ?>) ((List<?>) answer.get("errors")).get(0)).get("extensions"))
        .get("code");
  }

  @Test
  void hashMissThenRegistrationThenHashAloneRunsTheDocument() {
    String hash = sha256(DOC);
    Map<String, Object> miss = post(body("extensions", pq(hash)), 200);
    assertThat(code(miss)).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
    assertThat(miss).doesNotContainKey("data");

    Map<String, Object> registered = post(body("query", DOC, "extensions", pq(hash)), 200);
    assertThat(registered.get("data"))
        .isEqualTo(Map.of("me", Map.of("name", "Ada", "reviewCount", 3)));

    Map<String, Object> hit = post(body("extensions", pq(hash)), 200);
    assertThat(hit.get("data")).isEqualTo(registered.get("data"));

    // GET, as APQ clients send cacheable queries
    @SuppressWarnings("unchecked")
    Map<String, Object> viaGet =
        http.get()
            .uri(
                u ->
                    u.path("/graphql")
                        .queryParam("extensions", "{ext}")
                        .build(
                            "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    assertThat(viaGet.get("data")).isEqualTo(registered.get("data"));
  }

  @Test
  void aHashThatDoesNotMatchTheTextIs400AndTheHashStaysUnknown() {
    Map<String, Object> wrong = post(body("query", DOC, "extensions", pq(HASH)), 400);
    assertThat(code(wrong)).isEqualTo("PERSISTED_QUERY_HASH_MISMATCH");
    assertThat(code(post(body("extensions", pq(HASH)), 200)))
        .isEqualTo("PERSISTED_QUERY_NOT_FOUND");
  }

  @Test
  void anAdminAskingForThePlanSeesEachFetchWithItsSubgraph() {
    Map<String, Object> answer =
        post(
            body("query", DOC),
            200,
            "Authorization",
            "Bearer " + FederationGatewayTest.token("ops", "ADMIN"),
            "Retain-Query-Plan",
            "1");
    assertThat(answer.get("data")).isEqualTo(Map.of("me", Map.of("name", "Ada", "reviewCount", 3)));
    Map<?, ?> plan = (Map<?, ?>) ((Map<?, ?>) answer.get("extensions")).get("queryPlan");
    assertThat(plan.get("operation")).isEqualTo("Me");
    assertThat(plan.get("fetchCount")).isEqualTo(2);
    Map<?, ?> root = (Map<?, ?>) ((List<?>) plan.get("fetches")).get(0);
    assertThat(root.get("subgraph")).isEqualTo("accounts");
    Map<?, ?> then = (Map<?, ?>) ((List<?>) root.get("then")).get(0);
    assertThat(then.get("subgraph")).isEqualTo("reviews");
    assertThat(then.get("entity")).isEqualTo("User");
    assertThat(then.get("path")).isEqualTo(List.of("me"));
    assertThat((String) then.get("selection")).contains("reviewCount");
  }

  @Test
  void thePlanIsRefusedWithoutAnAdminTokenAndNothingRuns() {
    int before = ACCOUNTS.received.size();
    Map<String, Object> answer =
        post(
            body("query", DOC),
            403,
            "Authorization",
            "Bearer " + FederationGatewayTest.token("viewer", "ANALYST"),
            "Retain-Query-Plan",
            "1");
    assertThat(code(answer)).isEqualTo("FORBIDDEN");
    assertThat(ACCOUNTS.received).hasSize(before);
    assertThat(code(post(body("query", DOC), 403, "Retain-Query-Plan", "1")))
        .isEqualTo("FORBIDDEN");
  }

  static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
