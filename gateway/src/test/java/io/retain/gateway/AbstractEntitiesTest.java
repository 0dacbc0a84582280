package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Entities behind interfaces, read from a composer-form supergraph ({@code catalog.graphql}) over
 * two real HTTP subgraphs: fields selected on an interface but owned elsewhere continue per
 * concrete type, each with its own key and {@code @requires}.
 */
class AbstractEntitiesTest extends SupergraphFileTest {

  static final TestSubgraph PRODUCTS =
      FederationGatewayTest.start(
          """
          type Query { products: [Product]  accounts: [Account] }
          interface Product { id: ID!  sku: String }
          interface Account @key(fields: "id") { id: ID! }
          type Admin implements Account @key(fields: "id") { id: ID!  level: Int }
          type Member implements Account @key(fields: "id") { id: ID! }
          type Book implements Product @key(fields: "id") { id: ID!  sku: String  weight: Int }
          type Magazine implements Product @key(fields: "id") { id: ID!  sku: String  weight: Int }
          """);
  static final TestSubgraph INVENTORY =
      FederationGatewayTest.start(
          """
          type Query { standIns: [Account] }
          type Account @key(fields: "id") @interfaceObject { id: ID!  credit: Int }
          interface Product { id: ID!  delivery: String }
          type Book implements Product @key(fields: "id") {
            id: ID!  weight: Int @external  delivery: String @requires(fields: "weight")
          }
          type Magazine implements Product @key(fields: "id") {
            id: ID!  weight: Int @external  delivery: String @requires(fields: "weight")
          }
          """);

  static {
    PRODUCTS.fetch(
        "Query",
        "products",
        e ->
            List.of(
                Map.of("__typename", "Book", "id", "b1", "sku", "sku-b1", "weight", 2),
                Map.of("__typename", "Magazine", "id", "m1", "sku", "sku-m1", "weight", 7)));
    Map<String, Map<String, Object>> accounts =
        Map.of(
            "a1", Map.of("__typename", "Admin", "id", "a1", "level", 3),
            "m1", Map.of("__typename", "Member", "id", "m1"));
    PRODUCTS.fetch(
        "Query",
        "accounts",
        e ->
            List.copyOf(accounts.values()).stream()
                .sorted(Comparator.comparing(a -> (String) a.get("id")))
                .toList());
    // the interface entity: {__typename: "Account", id} resolves to its concrete type
    PRODUCTS.entities((t, r) -> t.equals("Account") ? accounts.get(r.get("id")) : r);
    DataFetcherDelivery delivery = new DataFetcherDelivery();
    // the stand-in answers only for the interface's name, as an @interfaceObject subgraph does
    INVENTORY.entities(
        (t, r) ->
            t.equals("Account")
                ? Map.of("credit", ((String) r.get("id")).length() * 50)
                : t.equals("Book") || t.equals("Magazine") ? r : null);
    INVENTORY.fetch(
        "Query",
        "standIns",
        e -> List.of(Map.of("id", "a1", "credit", 7), Map.of("id", "m1", "credit", 8)));
    INVENTORY.fetch("Book", "delivery", delivery);
    INVENTORY.fetch("Magazine", "delivery", delivery);
  }

  /** Computes from the required external field: proves the representation carried it. */
  static final class DataFetcherDelivery implements graphql.schema.DataFetcher<Object> {
    @Override
    public Object get(graphql.schema.DataFetchingEnvironment e) {
      Map<?, ?> src = e.getSource();
      Object w = src.get("weight");
      return w == null ? null : src.get("__typename") + " " + src.get("id") + " weighs " + w;
    }
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    String file =
        supergraphFile("catalog.graphql", Map.of("PRODUCTS", PRODUCTS, "INVENTORY", INVENTORY));
    r.add("retain.gateway.supergraph", () -> file);
  }

  @Override
  List<TestSubgraph> subgraphs() {
    return List.of(PRODUCTS, INVENTORY);
  }

  @Test
  void interfaceFieldOwnedElsewhereIsFetchedPerConcreteTypeWithItsRequires() {
    Map<String, Object> r = post("{ products { id sku delivery } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "products",
                List.of(
                    Map.of("id", "b1", "sku", "sku-b1", "delivery", "Book b1 weighs 2"),
                    Map.of("id", "m1", "sku", "sku-m1", "delivery", "Magazine m1 weighs 7"))));
    // both types in one _entities request, each with its key and required weight
    assertThat(INVENTORY.received).hasSize(1);
    assertThat(INVENTORY.received.get(0)).contains("... on Book").contains("... on Magazine");
  }

  @Test
  void variableDefaultsReachTheSubgraphSoNonNullPositionsStayValid() {
    Map<String, Object> r =
        post(
            "query ($d: Boolean = true) { products { id ... on Book @include(if: $d) { delivery }"
                + " } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "products",
                List.of(Map.of("id", "b1", "delivery", "Book b1 weighs 2"), Map.of("id", "m1"))));
  }

  @Test
  void interfaceObjectFieldsAreFetchedWithTheInterfaceNameAsTypename() {
    Map<String, Object> r = post("{ accounts { __typename id credit ... on Admin { level } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "accounts",
                List.of(
                    Map.of("__typename", "Admin", "id", "a1", "credit", 100, "level", 3),
                    Map.of("__typename", "Member", "id", "m1", "credit", 100))));
    assertThat(INVENTORY.received).hasSize(1);
  }

  @Test
  void objectsFromAnInterfaceObjectGraphGetTheirConcreteTypeFromTheInterfacesOwner() {
    Map<String, Object> r = post("{ standIns { __typename id credit ... on Admin { level } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "standIns",
                List.of(
                    Map.of("__typename", "Admin", "id", "a1", "credit", 7, "level", 3),
                    Map.of("__typename", "Member", "id", "m1", "credit", 8))));
    // one _entities request to the interface's owner resolves type and fragment fields
    assertThat(PRODUCTS.received).hasSize(1);
  }
}
