package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.*;
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

/** The gateway composes three real HTTP subgraphs and plans queries across them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class FederationGatewayTest {

  /** A real token: the gateway validates bearer tokens before forwarding them unchanged. */
  static final String TOKEN = token();

  static String token() {
    return token("gateway-test");
  }

  /** An ANALYST token for this subject, signed with the tests' secret. */
  static String token(String subject) {
    return token(subject, "ANALYST");
  }

  /** A token for this subject with one role, signed with the tests' secret. */
  static String token(String subject, String role) {
    try {
      var claims =
          new com.nimbusds.jwt.JWTClaimsSet.Builder()
              .subject(subject)
              .expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000))
              .claim("roles", java.util.List.of(role))
              .build();
      var jwt =
          new com.nimbusds.jwt.SignedJWT(
              new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
      // the secret of src/test/resources/config/application.yml
      jwt.sign(
          new com.nimbusds.jose.crypto.MACSigner(
              "gateway-test-secret-gateway-test-secret-0123"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static final List<Map<String, Object>> USERS = new ArrayList<>();

  static {
    for (int i = 1; i <= 50; i++) USERS.add(Map.of("id", "u" + i, "name", "User " + i));
  }

  static final String ACCOUNTS_SDL =
      """
      type Query { me: User  users(first: Int): [User!]!  user(id: ID!): User }
      type Mutation { rename(id: ID!, name: String!): User }
      type User @key(fields: "id") { id: ID!  name: String!  secret: String @inaccessible }
      """;

  static final TestSubgraph ACCOUNTS = start(ACCOUNTS_SDL);
  static final TestSubgraph REVIEWS =
      start(
          """
          type Query { topReviews: [Review!]!  search: [SearchResult!]! }
          union SearchResult = Review | User
          type Review { id: ID!  body: String!  author: User  stars: Int! }
          type User @key(fields: "id") { id: ID!  reviews: [Review!]! }
          """);
  static final TestSubgraph INVENTORY =
      start(
          """
          type Query { inventoryVersion: String @inaccessible }
          type User @key(fields: "id") {
            id: ID!
            name: String! @external
            greeting: String! @requires(fields: "name")
          }
          """);

  static {
    ACCOUNTS
        .fetch("Query", "me", e -> USERS.get(0))
        .fetch(
            "Query",
            "users",
            e -> {
              Integer n = e.getArgument("first");
              return USERS.subList(0, n == null ? 50 : n);
            })
        .fetch(
            "Query",
            "user",
            e ->
                USERS.stream()
                    .filter(u -> u.get("id").equals(e.getArgument("id")))
                    .findFirst()
                    .orElse(null))
        .fetch(
            "Mutation",
            "rename",
            e -> Map.of("id", e.getArgument("id"), "name", e.getArgument("name")))
        .entities(
            (t, r) ->
                USERS.stream()
                    .filter(u -> u.get("id").equals(r.get("id")))
                    .findFirst()
                    .orElse(null));
    REVIEWS
        .fetch(
            "Query",
            "topReviews",
            e ->
                List.of(
                    Map.of("id", "r1", "body", "great", "stars", 5, "author", Map.of("id", "u2")),
                    Map.of("id", "r2", "body", "meh", "stars", 2, "author", Map.of("id", "u3"))))
        .entities(
            (t, r) ->
                Map.of(
                    "reviews",
                    List.of(
                        Map.of(
                            "id",
                            "r-" + r.get("id"),
                            "body",
                            "about " + r.get("id"),
                            "stars",
                            4,
                            "author",
                            Map.of("id", r.get("id"))))));
    REVIEWS.fetch(
        "Query",
        "search",
        e ->
            List.of(
                Map.of("__typename", "Review", "id", "r9", "body", "found", "stars", 3),
                Map.of("__typename", "User", "id", "u4")));
    INVENTORY
        .entities((t, r) -> r)
        .fetch(
            "User",
            "greeting",
            e -> {
              Map<?, ?> u = e.getSource();
              if ("u7".equals(u.get("id"))) throw new IllegalStateException("no greeting for u7");
              return "Hello, " + u.get("name");
            });
  }

  static TestSubgraph start(String sdl) {
    try {
      return new TestSubgraph(sdl);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    r.add("retain.gateway.subgraphs.customer", () -> "");
    r.add("retain.gateway.subgraphs.scoring", () -> "");
    r.add("retain.gateway.subgraphs.retention", () -> "");
    r.add("retain.gateway.subgraphs.accounts", ACCOUNTS::url);
    r.add("retain.gateway.subgraphs.reviews", REVIEWS::url);
    r.add("retain.gateway.subgraphs.inventory", INVENTORY::url);
  }

  @AfterAll
  static void stop() {
    ACCOUNTS.close();
    REVIEWS.close();
    INVENTORY.close();
  }

  @Autowired WebTestClient http;
  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() {
    GatewayTests.awaitSupergraph(state);
    ACCOUNTS.received.clear();
    REVIEWS.received.clear();
    INVENTORY.received.clear();
  }

  private Map<String, Object> post(String query, Map<String, Object> variables) {
    Map<String, Object> body = new HashMap<>();
    body.put("query", query);
    if (variables != null) body.put("variables", variables);
    @SuppressWarnings("unchecked")
    Map<String, Object> r =
        http.post()
            .uri("/graphql")
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_JSON)
            .header("Authorization", "Bearer " + TOKEN)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    return r;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, Object... path) {
    Object cur = node;
    for (Object p : path) {
      cur =
          p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }

  @Test
  void fiftyEntitiesAcrossTwoHopsCostOneEntitiesRequestPerSubgraphPerLevel() {
    Map<String, Object> r =
        post("{ users(first: 50) { id name reviews { body author { name } } } }", null);
    assertThat(r.get("errors")).isNull();
    List<?> users = at(r, "data", "users");
    assertThat(users).hasSize(50);
    assertThat((String) at(users, 49, "reviews", 0, "body")).isEqualTo("about u50");
    assertThat((String) at(users, 49, "reviews", 0, "author", "name")).isEqualTo("User 50");
    assertThat(REVIEWS.count("_entities")).isEqualTo(1);
    assertThat(ACCOUNTS.count("_entities")).isEqualTo(1);
    assertThat(ACCOUNTS.received).hasSize(2);
    assertThat(REVIEWS.received).hasSize(1);
  }

  @Test
  void requiresSendsTheExternalFieldInTheRepresentation() {
    Map<String, Object> r = post("{ me { greeting } }", null);
    assertThat((String) at(r, "data", "me", "greeting")).isEqualTo("Hello, User 1");
    assertThat(INVENTORY.count("_entities")).isEqualTo(1);
  }

  @Test
  void aliasesFragmentsVariablesAndSkipAreHonoured() {
    Map<String, Object> r =
        post(
            """
            query Q($n: Int, $skip: Boolean!) {
              list: users(first: $n) { ...F  nm: name @skip(if: $skip) ... on User { who: name } }
            }
            fragment F on User { key: id reviews { text: body } }
            """,
            Map.of("n", 2, "skip", true));
    assertThat(r.get("errors")).isNull();
    List<Map<String, Object>> list = at(r, "data", "list");
    assertThat(list).hasSize(2);
    assertThat(list.get(1))
        .containsEntry("key", "u2")
        .containsEntry("who", "User 2")
        .doesNotContainKey("nm")
        .doesNotContainKey("name");
    assertThat((String) at(list, 1, "reviews", 0, "text")).isEqualTo("about u2");
  }

  @Test
  void rootFieldsOfDifferentSubgraphsAreFetchedFromEach() {
    Map<String, Object> r =
        post("{ topReviews { body stars author { name greeting } } me { id } }", null);
    assertThat(r.get("errors")).isNull();
    assertThat((String) at(r, "data", "topReviews", 1, "author", "name")).isEqualTo("User 3");
    assertThat((String) at(r, "data", "topReviews", 0, "author", "greeting"))
        .isEqualTo("Hello, User 2");
    assertThat((String) at(r, "data", "me", "id")).isEqualTo("u1");
  }

  @Test
  void unionMembersAreResolvedByTypenameAndEntityFieldsInsideFragmentsAreFetched() {
    Map<String, Object> r =
        post("{ search { __typename ... on Review { body } ... on User { name } } }", null);
    assertThat(r.get("errors")).isNull();
    assertThat((String) at(r, "data", "search", 0, "body")).isEqualTo("found");
    assertThat((String) at(r, "data", "search", 1, "__typename")).isEqualTo("User");
    assertThat((String) at(r, "data", "search", 1, "name")).isEqualTo("User 4");
    assertThat(ACCOUNTS.count("_entities")).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void subgraphErrorsAreRepathedIntoTheClientResponse() {
    Map<String, Object> r = post("{ user(id: \"u7\") { id greeting } }", null);
    assertThat((Object) at(r, "data", "user")).isNull();
    List<Map<String, Object>> errors = (List<Map<String, Object>>) r.get("errors");
    assertThat(errors)
        .anySatisfy(
            e -> {
              assertThat((String) e.get("message")).contains("no greeting for u7");
              assertThat((List<Object>) e.get("path")).containsExactly("user", "greeting");
            });
  }

  @Test
  void mutationRootFieldsRunInOrderAndContinueIntoOtherSubgraphs() {
    Map<String, Object> r =
        post(
            "mutation M($n: String!) { a: rename(id: \"u5\", name: $n) { name reviews { body } }"
                + " b: rename(id: \"u6\", name: \"Bo\") { name } }",
            Map.of("n", "Al"));
    assertThat(r.get("errors")).isNull();
    assertThat((Object) at(r, "data", "a")).as(r + " " + ACCOUNTS.received).isNotNull();
    assertThat((String) at(r, "data", "a", "name")).isEqualTo("Al");
    assertThat((String) at(r, "data", "a", "reviews", 0, "body")).isEqualTo("about u5");
    assertThat((String) at(r, "data", "b", "name")).isEqualTo("Bo");
    List<String> mutations =
        ACCOUNTS.received.stream().filter(q -> q.startsWith("mutation")).toList();
    assertThat(mutations).hasSize(2);
    assertThat(mutations.get(0)).contains("u5");
    assertThat(mutations.get(1)).contains("u6");
  }

  @Test
  void authorizationHeaderIsForwardedToSubgraphs() {
    ACCOUNTS.authorizations.clear();
    post("{ me { id } }", null);
    assertThat(ACCOUNTS.authorizations).containsExactly("Bearer " + TOKEN);
  }

  @Test
  void federationMachineryAndInaccessibleFieldsAreHidden() {
    Map<String, Object> r =
        post("{ __schema { types { name } queryType { fields { name } } } }", null);
    String text = r.toString();
    assertThat(text).doesNotContain("_entities").doesNotContain("_Any").doesNotContain("join__");
    assertThat(text).doesNotContain("inventoryVersion").contains("topReviews");
    Map<String, Object> secret = post("{ me { secret } }", null);
    assertThat(secret.get("errors")).isNotNull();
  }

  @Test
  void nullForNonNullFieldPropagatesToTheNearestNullableParent() {
    Map<String, Object> r = post("{ user(id: \"nobody\") { id name } }", null);
    assertThat(r.get("errors")).isNull();
    assertThat((Object) at(r, "data", "user")).isNull();
  }

  @Test
  void parseErrorsAre400ForGraphqlResponseJsonAnd200ForJson() {
    http.post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.parseMediaType("application/graphql-response+json"))
        .bodyValue(Map.of("query", "{ me { "))
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("query", "{ me { "))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.errors[0].message")
        .exists();
  }

  @Test
  void getServesQueriesAndRefusesMutations() {
    http.get()
        .uri(u -> u.path("/graphql").queryParam("query", "{q}").build("{ me { name } }"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.data.me.name")
        .isEqualTo("User 1");
    http.get()
        .uri(u -> u.path("/graphql").queryParam("query", "{q}").build("mutation { x }"))
        .exchange()
        .expectStatus()
        .isEqualTo(405);
  }

  @Test
  void aFieldAddedToASubgraphAppearsAfterRefreshWithoutGatewayChanges() throws Exception {
    ACCOUNTS.setSdl(ACCOUNTS_SDL.replace("name: String!", "name: String!  nickname: String"));
    ACCOUNTS.fetch("User", "nickname", e -> "nick-" + ((Map<?, ?>) e.getSource()).get("id"));
    try {
      state.refresh();
      Map<String, Object> r = post("{ me { nickname } }", null);
      assertThat((String) at(r, "data", "me", "nickname")).isEqualTo("nick-u1");
    } finally {
      ACCOUNTS.setSdl(ACCOUNTS_SDL);
      state.refresh();
    }
  }

  @Test
  void readinessIsUpOnceTheSupergraphIsLoaded() {
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    // metrics need an ADMIN or SERVICE token (BearerTokenFilterTest covers the refusals)
    http.get()
        .uri("/actuator/prometheus")
        .header("Authorization", "Bearer " + token("gateway-test", "ADMIN"))
        .exchange()
        .expectStatus()
        .isOk();
  }
}
