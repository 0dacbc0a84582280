package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.AstPrinter;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.parser.Parser;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
 * The README's at-risk query with one subgraph down: HTTP 200, the other subgraphs' data, and a
 * {@code SUBGRAPH_UNAVAILABLE} error naming the one that is down. The three subgraphs are stubs,
 * but every field the query crosses is declared with the nullability of the real schema files (read
 * from the services' {@code src/main/resources/graphql}), so a non-null entity field there shows up
 * here as {@code data: null}. (The real services as processes need several minutes per outage on
 * this machine; this runs in seconds.)
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resilience4j.timelimiter.configs.default.timeout-duration=2s",
      "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=50",
    })
@AutoConfigureWebTestClient
class OutageNullabilityTest {

  static final Path SERVICES = Path.of(System.getProperty("user.dir")).resolve("..").normalize();

  static final TestSubgraph CUSTOMER =
      FederationGatewayTest.start(
          "type Query { customer(id: ID!): Customer }\n"
              + "type Customer @key(fields: \"id\") { id: ID! "
              + ("name: " + real("customer-service", "Customer", "name"))
              // a stub has no enums: the enum becomes a String of the same nullability
              + (" valueTier: " + real("customer-service", "Customer", "valueTier"))
                  .replace("ValueTier", "String")
              + " }");

  static final TestSubgraph SCORING =
      FederationGatewayTest.start(
          "type Query { customersByLoyalty(first: Int): "
              + real("scoring-service", "Query", "customersByLoyalty")
              + " }\ntype LoyaltyConnection { totalCount: "
              + real("scoring-service", "LoyaltyConnection", "totalCount")
              + " edges: "
              + real("scoring-service", "LoyaltyConnection", "edges")
              + " }\ntype LoyaltyEdge { node: "
              + real("scoring-service", "LoyaltyEdge", "node")
              + " }\ntype Loyalty { score: Float tier: String }\n"
              + "type Customer @key(fields: \"id\") { id: ID! loyalty: "
              + real("scoring-service", "Customer", "loyalty")
              + " }");

  static final TestSubgraph RETENTION =
      FederationGatewayTest.start(
          "type Query { retentionVersion: String }\n"
              + "type Customer @key(fields: \"id\") { id: ID! actionPlans: "
              + real("retention-service", "Customer", "actionPlans").replace("ActionPlan", "String")
              + " }");

  static {
    SCORING.fetch(
        "Query",
        "customersByLoyalty",
        e ->
            Map.of(
                "totalCount",
                2,
                "edges",
                List.of(edge("C002", 68.1, "POTENTIAL_CHURN"), edge("C005", 52.9, "HIGH_RISK"))));
    CUSTOMER.entities((t, r) -> Map.of("name", "Name of " + r.get("id"), "valueTier", "KEY"));
    RETENTION.entities((t, r) -> Map.of("actionPlans", List.of("plan of " + r.get("id"))));
  }

  static Map<String, Object> edge(String id, double score, String tier) {
    return Map.of("node", Map.of("id", id, "loyalty", Map.of("score", score, "tier", tier)));
  }

  static final String README_QUERY =
      "{ customersByLoyalty(first: 50) { totalCount edges { node {"
          + " id name valueTier loyalty { score tier } actionPlans } } } }";

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(
        r, Map.of("customer", CUSTOMER, "scoring", SCORING, "retention", RETENTION));
  }

  @Autowired WebTestClient http;
  @Autowired GatewayState state;
  @Autowired CircuitBreakerRegistry breakers;

  @BeforeEach
  void awaitSupergraph() throws InterruptedException {
    GatewayTests.awaitSupergraph(state);
  }

  @AfterEach
  void bringAllBack() throws IOException {
    for (TestSubgraph s : List.of(CUSTOMER, SCORING, RETENTION)) {
      try {
        s.restart();
      } catch (java.net.BindException alreadyUp) {
        // it was not stopped
      }
    }
    List.of("customer", "scoring", "retention").forEach(n -> breakers.circuitBreaker(n).reset());
  }

  @AfterAll
  static void close() {
    CUSTOMER.close();
    SCORING.close();
    RETENTION.close();
  }

  @Test
  void allUpAnswersEverything() {
    Map<String, Object> body = ask();
    assertThat(body.get("errors")).isNull();
    assertThat(nodes(body))
        .extracting(n -> n.get("name"), n -> n.get("actionPlans"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Name of C002", List.of("plan of C002")),
            org.assertj.core.groups.Tuple.tuple("Name of C005", List.of("plan of C005")));
  }

  @Test
  void customerServiceDownNullsOnlyNamesAndValueTiers() {
    CUSTOMER.stop();
    Map<String, Object> body = ask();
    assertUnavailable(body, "customer");
    assertThat((List<?>) body.get("errors")).as("only SUBGRAPH_UNAVAILABLE errors").hasSize(1);
    assertThat(nodes(body))
        .allSatisfy(
            n -> {
              assertThat(n.get("name")).isNull();
              assertThat(n.get("valueTier")).isNull();
              assertThat(n.get("actionPlans")).isEqualTo(List.of("plan of " + n.get("id")));
            });
    List<Object> scores =
        nodes(body).stream().<Object>map(n -> ((Map<?, ?>) n.get("loyalty")).get("score")).toList();
    assertThat(scores).containsExactly(68.1, 52.9);
  }

  @Test
  void retentionServiceDownNullsOnlyActionPlans() {
    RETENTION.stop();
    Map<String, Object> body = ask();
    assertUnavailable(body, "retention");
    assertThat(nodes(body))
        .allSatisfy(
            n -> {
              assertThat(n.get("actionPlans")).isNull();
              assertThat(n.get("name")).isEqualTo("Name of " + n.get("id"));
              assertThat(((Map<?, ?>) n.get("loyalty")).get("tier")).isNotNull();
            });
  }

  @Test
  void scoringServiceDownAnswers200WithTheErrorNamingScoring() {
    // scoring owns the root field: there is nothing of the others' to show, but no 5xx
    SCORING.stop();
    Map<String, Object> body = ask();
    assertUnavailable(body, "scoring");
    // the null of the non-null root propagates to data; no second error (a non-null violation or
    // another subgraph's) is added for the same root
    assertThat(body).containsEntry("data", null);
    assertThat((List<?>) body.get("errors")).hasSize(1);
  }

  private Map<String, Object> ask() {
    @SuppressWarnings("unchecked")
    Map<String, Object> body =
        http.post()
            .uri("/graphql")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("query", README_QUERY))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    return body;
  }

  /** An error names the subgraph that is down, and no other subgraph is reported down. */
  @SuppressWarnings("unchecked")
  private static void assertUnavailable(Map<String, Object> body, String subgraph) {
    List<Map<String, Object>> unavailable =
        ((List<Map<String, Object>>) body.get("errors"))
            .stream()
                .map(e -> (Map<String, Object>) e.get("extensions"))
                .filter(x -> "SUBGRAPH_UNAVAILABLE".equals(x.get("code")))
                .toList();
    assertThat(unavailable).isNotEmpty();
    assertThat(unavailable).allSatisfy(x -> assertThat(x).containsEntry("subgraph", subgraph));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> nodes(Map<String, Object> body) {
    Map<String, Object> data = (Map<String, Object>) body.get("data");
    assertThat(data).as("data").isNotNull();
    Map<String, Object> connection = (Map<String, Object>) data.get("customersByLoyalty");
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object e : (List<?>) connection.get("edges")) {
      out.add((Map<String, Object>) ((Map<String, Object>) e).get("node"));
    }
    assertThat(out).hasSize(2);
    return out;
  }

  /** The type of {@code type.name} as the service's own schema files declare it. */
  static String real(String service, String type, String name) {
    List<FieldDefinition> found = new ArrayList<>();
    try (Stream<Path> files =
        Files.list(SERVICES.resolve(service).resolve("src/main/resources/graphql"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".graphqls")).toList()) {
        // type definitions and extensions (ObjectTypeExtensionDefinition is a subtype)
        Parser.parse(Files.readString(f)).getDefinitionsOfType(ObjectTypeDefinition.class).stream()
            .filter(t -> t.getName().equals(type))
            .flatMap(t -> t.getFieldDefinitions().stream())
            .filter(d -> d.getName().equals(name))
            .forEach(found::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(found).as(service + " " + type + "." + name).hasSize(1);
    return AstPrinter.printAst(found.get(0).getType());
  }
}
