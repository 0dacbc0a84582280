package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Subgraph documents the subgraph would refuse or misread (a composer-form supergraph, {@code
 * conflicts.graphql}, over two real HTTP subgraphs): two fields under one response key that it
 * cannot merge (the same field typed differently per object type; required fields with other
 * arguments than the client's), and fragments on types that belong to an interface only in the
 * other graph.
 */
class FieldConflictsTest extends SupergraphFileTest {

  static final TestSubgraph A =
      FederationGatewayTest.start(
          """
          type Query {
            accounts: [Account!]!  products: [Product]  appliances: [Appliance]  nodes: [Node]
            item: Item
          }
          interface Item { similar: Item }
          type Book implements Item @key(fields: "id") { id: ID!  similar: Book }
          interface Node { id: ID! }
          union Appliance = Oven | Toaster
          type Oven @key(fields: "id") { id: ID! }
          type Toaster implements Node @key(fields: "id") { id: ID!  warranty: Int }
          union Account = User | Admin
          type User @key(fields: "id") { id: ID!  name: String }
          type Admin { id: ID  name: String }
          type Product @key(fields: "upc") {
            upc: ID!  price(currency: String!): Int  weight: Int  media: Media
          }
          interface Media { title: String! }
          type Film implements Media @shareable { title: String! }
          type Review @key(fields: "id") { id: ID!  stars: Int }
          """);
  static final TestSubgraph B =
      FederationGatewayTest.start(
          """
          type Query { users: [User!]! }
          type User { id: ID @shareable }
          type Product @key(fields: "upc") {
            upc: ID!
            price(currency: String!): Int @external
            weight: Int @external
            reviews(limit: Int!): [Review]
            shippingUsd: Int @requires(fields: "price(currency: \\"USD\\") weight")
            shippingEur: Int @requires(fields: "price(currency: \\"EUR\\") weight")
            topStars: Int @requires(fields: "reviews(limit: 2) { stars }")
            media: Media @external
            blurb: String @requires(fields: "media { ... on Media { title } }")
          }
          interface Media { title: String! }
          type Film implements Media @shareable { title: String! }
          type Review @key(fields: "id") { id: ID!  stars: Int @external }
          interface Node { id: ID! }
          type Oven implements Node @key(fields: "id") { id: ID!  warranty: Int }
          """);

  static {
    A.fetch(
            "Query",
            "accounts",
            e ->
                List.of(
                    Map.of("__typename", "User", "id", "u1", "name", "user-1"),
                    Map.of("__typename", "Admin", "id", "a1", "name", "admin-1")))
        .fetch(
            "Query",
            "products",
            e ->
                List.of(
                    Map.of(
                        "upc",
                        "p1",
                        "weight",
                        2,
                        "media",
                        Map.of("__typename", "Film", "title", "Heat"))))
        .fetch(
            "Query",
            "appliances",
            e ->
                List.of(
                    Map.of("__typename", "Oven", "id", "o1"),
                    Map.of("__typename", "Toaster", "id", "t1", "warranty", 2)))
        .fetch(
            "Query",
            "item",
            e ->
                Map.of(
                    "__typename",
                    "Book",
                    "id",
                    "b1",
                    "similar",
                    Map.of("__typename", "Book", "id", "b2")))
        .fetch(
            "Query",
            "nodes",
            e -> List.of(Map.of("__typename", "Toaster", "id", "t1", "warranty", 2)))
        .fetch(
            "Product",
            "price",
            e ->
                switch ((String) e.getArgument("currency")) {
                  case "USD" -> 10;
                  case "EUR" -> 20;
                  default -> 30;
                })
        .entities((t, r) -> Map.of("stars", ((String) r.get("id")).length() * 2));
    B.entities((t, r) -> r)
        .fetch("Product", "shippingUsd", e -> shipping(e.getSource()))
        .fetch("Product", "shippingEur", e -> shipping(e.getSource()))
        .fetch(
            "Product",
            "blurb",
            e -> {
              Map<?, ?> media = (Map<?, ?>) ((Map<?, ?>) e.getSource()).get("media");
              return media == null ? null : "about " + media.get("title");
            })
        .fetch(
            "Product",
            "reviews",
            e ->
                List.of(
                        Map.of("__typename", "Review", "id", "r1"),
                        Map.of("__typename", "Review", "id", "r22"),
                        Map.of("__typename", "Review", "id", "r333"))
                    .subList(0, e.getArgument("limit")))
        .fetch(
            "Product",
            "topStars",
            e -> {
              List<?> reviews = (List<?>) ((Map<?, ?>) e.getSource()).get("reviews");
              return reviews == null
                  ? null
                  : reviews.stream().mapToInt(x -> (Integer) ((Map<?, ?>) x).get("stars")).sum();
            });
  }

  /** Price times weight, from the representation the gateway sent. */
  private static Object shipping(Object source) {
    Map<?, ?> p = (Map<?, ?>) source;
    return p.get("price") == null ? null : (Integer) p.get("price") * (Integer) p.get("weight");
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    String file = supergraphFile("conflicts.graphql", Map.of("A", A, "B", B));
    r.add("retain.gateway.supergraph", () -> file);
  }

  @Override
  List<TestSubgraph> subgraphs() {
    return List.of(A, B);
  }

  @Test
  void aFieldTypedDifferentlyPerObjectTypeIsAliasedApartAndAnsweredUnderItsName() {
    // in A, User.id is ID! and Admin.id is ID: one document cannot hold both as "id"
    Map<String, Object> r =
        post("{ accounts { ... on User { id name } ... on Admin { id name } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "accounts",
                List.of(
                    Map.of("id", "u1", "name", "user-1"), Map.of("id", "a1", "name", "admin-1"))));
    assertThat(A.received).hasSize(1);
    assertThat(A.received.get(0)).contains("id__alias_");
  }

  @Test
  void fragmentsOnTypesThatAreMembersOnlyInAnotherGraphAreSplitOrLeftOut() {
    // Oven implements Node only in B: A would not match an Oven to "... on Node" (split per
    // type) and refuses "... on Oven" below a Node (left out: A's nodes are never Ovens)
    Map<String, Object> r =
        post(
            "{ appliances { ... on Node { id } } "
                + "nodes { ... on Toaster { warranty } ... on Oven { id } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "appliances", List.of(Map.of("id", "o1"), Map.of("id", "t1")),
                "nodes", List.of(Map.of("warranty", 2))));
    assertThat(A.received).hasSize(1);
    assertThat(A.received.get(0)).doesNotContain("on Node");
    assertThat(B.received).isEmpty();
  }

  @Test
  void aFieldNarrowedByAnObjectTypeSharesItsResponseKeyWithTheInterfaceField() {
    // Item.similar is an Item, Book.similar a Book: same shape, one key, answers merged
    Map<String, Object> r =
        post("{ item { similar { __typename } ... on Book { similar { id } } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(Map.of("item", Map.of("similar", Map.of("__typename", "Book", "id", "b2"))));
    assertThat(A.received).hasSize(1);
    assertThat(A.received.get(0)).doesNotContain("__alias_");
  }

  @Test
  void requiredFieldsWithOtherArgumentsThanTheClientsTravelUnderTheirOwnAliases() {
    // price(currency: "GBP") for the client, USD and EUR for two requirements: one fetch from A;
    // USD and EUR need a representation each, so B gets two _entities selections in one request
    Map<String, Object> r =
        post("{ products { upc price(currency: \"GBP\") shippingUsd shippingEur } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "products",
                List.of(Map.of("upc", "p1", "price", 30, "shippingUsd", 20, "shippingEur", 40))));
    assertThat(A.received).hasSize(1);
    assertThat(B.received).hasSize(1);
    assertThat(B.received.get(0)).contains("r0:_entities").contains("r1:_entities");
  }

  @Test
  void aRequirementSelectingThroughAFragmentCarriesTheFragmentsFields() {
    Map<String, Object> r = post("{ products { blurb } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data")).isEqualTo(Map.of("products", List.of(Map.of("blurb", "about Heat"))));
    assertThat(A.received).hasSize(1);
    assertThat(B.received).hasSize(1);
  }

  @Test
  void aRequirementCompletedByAnotherGraphIsFetchedOnlyOnceItIsComplete() {
    // topStars requires reviews(limit: 2) { stars }: reviews from B itself, stars from A
    Map<String, Object> r = post("{ products { topStars reviews(limit: 1) { id } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "products",
                List.of(Map.of("topStars", 10, "reviews", List.of(Map.of("id", "r1"))))));
    // B: the reviews (both limits, one under an alias), then topStars; A: products, then stars
    assertThat(B.received).hasSize(2);
    assertThat(A.received).hasSize(2);
  }
}
