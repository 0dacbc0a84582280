package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Planning rules over three real subgraphs and a composer-form supergraph ({@code chain.graphql}):
 * a chain of {@code @requires} across graphs, a key only another graph can supply, {@code
 * @provides} saving a fetch, and a shared root field sent to the graph that resolves most of it.
 */
class PlanningRulesTest extends SupergraphFileTest {

  static final TestSubgraph A =
      FederationGatewayTest.start(
          """
          type Query {
            product: Product  shelf: Shelf  top: Product @shareable  pick: Product
            stats: Stats @shareable
          }
          type Shelf { products: [Product] @provides(fields: "name") }
          type Stats @shareable { count: Int }
          type Maker @shareable { name: String }
          type Product @key(fields: "upc") {
            upc: ID!  price: Int  name: String @external  maker: Maker @shareable
            label: String @external  verdict: String @requires(fields: "label")
          }
          """);
  static final TestSubgraph B =
      FederationGatewayTest.start(
          """
          type Query { top: Product @shareable  stats: Stats @shareable }
          type Stats @shareable { rating: Int }
          type Maker @shareable { country: String }
          type Product @key(fields: "upc") @key(fields: "id") {
            upc: ID!  id: ID!  price: Int @external  name: String  maker: Maker @shareable
            expensive: Boolean @requires(fields: "price")
          }
          """);
  static final TestSubgraph C =
      FederationGatewayTest.start(
          """
          type Query { unused: Int }
          type Product @key(fields: "id") {
            id: ID!  expensive: Boolean @external  label: String @requires(fields: "expensive")
          }
          """);

  static {
    A.fetch(
            "Query",
            "product",
            e -> Map.of("upc", "u1", "price", 150, "maker", Map.of("name", "acme")))
        .fetch(
            "Query",
            "shelf",
            e ->
                Map.of(
                    "products",
                    List.of(
                        Map.of("upc", "u1", "name", "provided-1"),
                        Map.of("upc", "u2", "name", "provided-2"))))
        .fetch("Query", "top", e -> Map.of("upc", "u9"))
        .fetch("Query", "pick", e -> Map.of("upc", "u1"))
        .fetch("Query", "stats", e -> Map.of("count", 7))
        .fetch("Product", "verdict", e -> "verdict:" + ((Map<?, ?>) e.getSource()).get("label"))
        .entities((t, r) -> Map.of("price", 150));
    B.fetch("Query", "top", e -> Map.of("upc", "u9", "id", "id-u9"))
        .fetch("Query", "stats", e -> Map.of("rating", 4))
        .entities(
            (t, r) ->
                Map.of(
                    "id",
                    "id-" + r.getOrDefault("upc", "?"),
                    "name",
                    "from-b",
                    "maker",
                    Map.of("country", "NL")))
        .fetch(
            "Product",
            "expensive",
            e -> {
              Object price = ((Map<?, ?>) e.getSource()).get("price");
              return price == null ? null : ((Number) price).intValue() > 100;
            });
    C.entities((t, r) -> r)
        .fetch(
            "Product", "label", e -> "expensive=" + ((Map<?, ?>) e.getSource()).get("expensive"));
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    String file = supergraphFile("chain.graphql", Map.of("A", A, "B", B, "C", C));
    r.add("retain.gateway.supergraph", () -> file);
  }

  @Override
  List<TestSubgraph> subgraphs() {
    return List.of(A, B, C);
  }

  @Test
  void requiresChainsAcrossGraphsAndTheLastHopGetsTheKeyItKnows() {
    // label (C, key id) requires expensive (B) which requires price (A, key upc only)
    Map<String, Object> r = post("{ product { upc label } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(Map.of("product", Map.of("upc", "u1", "label", "expensive=true")));
    assertThat(B.received).hasSize(1);
    assertThat(B.received.get(0)).contains("expensive").contains("id");
    assertThat(C.received).hasSize(1);
  }

  @Test
  void aRequirementThatItselfRequiresAChainOfOtherGraphsIsFetchedStepByStep() {
    // verdict (A) requires label (C), which requires expensive (B), which requires price (A)
    Map<String, Object> r = post("{ product { verdict } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(Map.of("product", Map.of("verdict", "verdict:expensive=true")));
    assertThat(A.received).hasSize(2);
    assertThat(B.received).hasSize(1);
    assertThat(C.received).hasSize(1);
  }

  @Test
  void aSharedRootFieldOfAKeylessTypeIsCalledInEachGraphForItsFields() {
    // Stats has no key: rating cannot be fetched through _entities, B's stats field gives it
    Map<String, Object> r = post("{ stats { count rating } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data")).isEqualTo(Map.of("stats", Map.of("count", 7, "rating", 4)));
    assertThat(A.received).hasSize(1);
    assertThat(B.received).hasSize(1);
    assertThat(B.received.get(0)).doesNotContain("_entities");
  }

  @Test
  void aFieldOfAKeylessTypeIsFetchedThroughTheEnclosingEntity() {
    // Maker has no key; B resolves Product.maker (by upc) and Maker.country
    Map<String, Object> r = post("{ product { upc maker { name country } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "product", Map.of("upc", "u1", "maker", Map.of("name", "acme", "country", "NL"))));
    assertThat(A.received).hasSize(1);
    assertThat(B.received).hasSize(1);
    assertThat(B.received.get(0)).contains("_entities").contains("maker{country");
  }

  @Test
  void aKeyOnlyAnotherGraphHasIsFetchedThereFirst() {
    // C knows Product only by id, which A cannot give: B turns upc into id on the way
    Map<String, Object> r = post("{ product { upc id label } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of("product", Map.of("upc", "u1", "id", "id-u1", "label", "expensive=true")));
  }

  @Test
  void providedFieldsAreTakenFromTheProvidingGraphWithoutAFetch() {
    Map<String, Object> r = post("{ shelf { products { upc name } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "shelf",
                Map.of(
                    "products",
                    List.of(
                        Map.of("upc", "u1", "name", "provided-1"),
                        Map.of("upc", "u2", "name", "provided-2")))));
    assertThat(B.received).isEmpty();
  }

  @Test
  void aSharedRootFieldGoesToTheGraphThatResolvesMostOfItsSelection() {
    Map<String, Object> r = post("{ top { upc id } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data")).isEqualTo(Map.of("top", Map.of("upc", "u9", "id", "id-u9")));
    assertThat(A.received).isEmpty();
    assertThat(B.received).hasSize(1);
  }

  @Test
  void fragmentsThatCannotMatchTheGraphsNarrowerTypeAreNotSent() {
    // the supergraph says Item (a union); graph A declares the field as Product
    Map<String, Object> r =
        post("{ pick { ... on Product { upc } ... on Shelf { products { upc } } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data")).isEqualTo(Map.of("pick", Map.of("upc", "u1")));
    assertThat(A.received).hasSize(1);
    assertThat(A.received.get(0)).doesNotContain("Shelf");
  }
}
